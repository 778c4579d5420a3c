package io.cleanroom.node.testing;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a bank folder's CSV files with their rows in the order a node reads the same rows from a
 * database: by the table's key, text compared by code point, then by the whole row. The files must
 * be in canonical form (header in {@link BankFile#columns()} order, LF line ends, no line break
 * inside a field), as the testbed's generator writes them; the key columns come first and are never
 * quoted. Afterwards each file is exactly the canonical rendering of its table, so a folder and a
 * database loaded from it have the same digest.
 */
public final class KeyOrder {
  private static final Map<BankFile, Integer> KEY_COLUMNS =
      Map.of(
          BankFile.CUSTOMERS, 1,
          BankFile.ACCOUNTS, 1,
          BankFile.DEVICES, 2,
          BankFile.TRANSACTIONS, 1,
          BankFile.ALERTS, 1);

  private KeyOrder() {}

  /** Sorts every CSV file of {@code bankDir} in place. */
  public static void sort(Path bankDir) throws IOException {
    for (BankFile table : BankFile.values()) {
      Path file = bankDir.resolve(table.fileName());
      if (!Files.exists(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String header = String.join(",", table.columns());
      if (lines.isEmpty() || !lines.get(0).equals(header)) {
        throw new IllegalArgumentException(
            file + " is not in canonical form (header " + header + ")");
      }
      int keys = KEY_COLUMNS.get(table);
      List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
      Comparator<String> byKey = (x, y) -> compareKeys(x, y, keys);
      rows.sort(byKey.thenComparing(Comparator.naturalOrder()));
      StringBuilder sb = new StringBuilder(header).append('\n');
      for (String row : rows) {
        sb.append(row).append('\n');
      }
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
  }

  private static int compareKeys(String x, String y, int keys) {
    String[] a = x.split(",", -1);
    String[] b = y.split(",", -1);
    for (int i = 0; i < keys; i++) {
      int c = a[i].compareTo(b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
