package io.cleanroom.testbed.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The study's totals computed the plain way, by pooling every bank's files: only a test may do
 * this. Reads the generator's simple CSVs (no quoted commas in the counted columns).
 */
final class PlaintextCounts {
  long accounts;
  long alertAccounts;
  long greyAccounts;
  final Set<String> transactions = new HashSet<>();

  static PlaintextCounts of(Path data, List<String> banks) throws IOException {
    PlaintextCounts c = new PlaintextCounts();
    for (String bank : banks) {
      Path dir = data.resolve(bank);
      c.accounts += rows(dir.resolve("accounts.csv")).size();
      Set<String> alert = new HashSet<>();
      Set<String> grey = new HashSet<>();
      List<String[]> alerts = rows(dir.resolve("alerts.csv"));
      int acc = column(dir.resolve("alerts.csv"), "account_id");
      int lvl = column(dir.resolve("alerts.csv"), "level");
      for (String[] r : alerts) {
        (r[lvl].equals("alert") ? alert : grey).add(r[acc]);
      }
      c.alertAccounts += alert.size();
      c.greyAccounts += grey.size();
      int txn = column(dir.resolve("transactions.csv"), "txn_id");
      for (String[] r : rows(dir.resolve("transactions.csv"))) {
        c.transactions.add(r[txn]);
      }
    }
    return c;
  }

  private static int column(Path f, String name) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(f)) {
      int i = Arrays.asList(r.readLine().split(",", -1)).indexOf(name);
      if (i < 0) {
        throw new IOException(f + " has no column " + name);
      }
      return i;
    }
  }

  private static List<String[]> rows(Path f) throws IOException {
    try (var lines = Files.lines(f)) {
      return lines.skip(1).filter(l -> !l.isEmpty()).map(l -> l.split(",", -1)).toList();
    }
  }
}
