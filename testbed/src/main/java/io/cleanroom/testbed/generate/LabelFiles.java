package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Writes every bank's alerts.csv and the dataset's truth.csv, rows in account id order. */
final class LabelFiles {
  private LabelFiles() {}

  static void writeAlerts(Path root, BankLayout layout, List<Flag> flags) throws IOException {
    List<Flag> sorted = new ArrayList<>(flags);
    sorted.sort(
        Comparator.comparingInt((Flag f) -> layout.bankOf(f.account()))
            .thenComparingInt(f -> number(layout, f.account())));
    CsvLine line = new CsvLine();
    int next = 0;
    for (int b = 0; b < layout.banks(); b++) {
      Path file = root.resolve(BankLayout.bankId(b)).resolve(BankFile.ALERTS.fileName());
      try (CsvOut out = CsvOut.open(file, BankFile.ALERTS.columns())) {
        for (; next < sorted.size() && layout.bankOf(sorted.get(next).account()) == b; next++) {
          Flag f = sorted.get(next);
          line.reset();
          layout.accountId(line, f.account()).comma().text(f.level()).comma();
          line.text(Window.date(f.day())).end();
          out.write(line);
        }
      }
    }
  }

  static void writeTruth(Path root, BankLayout layout) throws IOException {
    CsvLine line = new CsvLine();
    try (CsvOut out =
        CsvOut.open(root.resolve(OutputFolder.TRUTH), List.of("bank", "account_id", "is_mule"))) {
      for (int b = 0; b < layout.banks(); b++) {
        for (int number = 1; number <= layout.size(b); number++) {
          int account = layout.offset(b) + layout.accountAt(b, number);
          line.reset().text(BankLayout.bankId(b)).comma();
          layout.accountId(line, account).comma();
          line.ch(layout.isMule(account) ? '1' : '0').end();
          out.write(line);
        }
      }
    }
  }

  private static int number(BankLayout layout, int account) {
    int b = layout.bankOf(account);
    return layout.accountNumber(b, account - layout.offset(b));
  }
}
