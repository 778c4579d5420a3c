package io.cleanroom.testbed.reference;

import io.cleanroom.node.data.AlertLevel;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.DataException;
import io.cleanroom.node.risk.RiskParameters;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a study's {@code risk/<bank>.csv} with the plaintext reference on the same files, and,
 * when the dataset has {@code truth.csv}, measures detection on the accounts that are not alert
 * accounts: the study's risk, and each bank computing alone — the federation's lift.
 */
public final class RiskCheck {
  private RiskCheck() {}

  /** The {@code risk} section of {@code summary.json}. */
  public static Map<String, Object> check(
      Path dataset, Path out, List<String> banks, RiskParameters p)
      throws IOException, DataException {
    RiskReference ref = RiskReference.load(dataset, banks);
    double[] expected = ref.federated(p);
    double[] secure = new double[ref.accounts()];
    double maxError = 0;
    for (String b : banks) {
      Map<String, Double> got = readRisk(out.resolve("risk").resolve(b + ".csv"));
      BankData d = ref.bank(b);
      for (int a = 0; a < d.accountCount(); a++) {
        Double v = got.get(d.accountId(a));
        if (v == null) {
          throw new IOException("risk/" + b + ".csv has no row for account " + d.accountId(a));
        }
        int g = ref.index(b, a);
        secure[g] = v;
        maxError = Math.max(maxError, Math.abs(v - expected[g]));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max_abs_error", maxError);
    m.put("accounts", ref.accounts());
    Path truth = dataset.resolve("truth.csv");
    if (Files.exists(truth)) {
      Map<String, Boolean> mule = readTruth(truth);
      double[] alone = new double[ref.accounts()];
      for (String b : banks) {
        double[] r = ref.alone(b, p);
        for (int a = 0; a < ref.bank(b).accountCount(); a++) {
          alone[ref.index(b, a)] = r[ref.index(b, a)];
        }
      }
      int hidden = 0;
      for (String b : banks) {
        BankData d = ref.bank(b);
        for (int a = 0; a < d.accountCount(); a++) {
          if (d.alertLevel(a) != AlertLevel.ALERT) {
            hidden++;
          }
        }
      }
      double[] s = new double[hidden];
      double[] x = new double[hidden];
      double[] y = new double[hidden];
      boolean[] label = new boolean[hidden];
      int k = 0;
      for (String b : banks) {
        BankData d = ref.bank(b);
        for (int a = 0; a < d.accountCount(); a++) {
          if (d.alertLevel(a) != AlertLevel.ALERT) {
            int g = ref.index(b, a);
            s[k] = secure[g];
            x[k] = expected[g];
            y[k] = alone[g];
            label[k] = mule.getOrDefault(b + "/" + d.accountId(a), false);
            k++;
          }
        }
      }
      m.put("hidden_accounts", hidden);
      m.put("hidden_auc", Detection.auc(s, label));
      m.put("hidden_ap", Detection.averagePrecision(s, label));
      m.put("reference_hidden_auc", Detection.auc(x, label));
      m.put("reference_hidden_ap", Detection.averagePrecision(x, label));
      m.put("single_bank_hidden_auc", Detection.auc(y, label));
      m.put("single_bank_hidden_ap", Detection.averagePrecision(y, label));
    }
    return m;
  }

  private static Map<String, Double> readRisk(Path f) throws IOException {
    Map<String, Double> m = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(f)) {
      String header = r.readLine();
      if (header == null || !header.startsWith("account_id,risk")) {
        throw new IOException(f + " does not start with account_id,risk");
      }
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] c = line.split(",", -1);
        m.put(c[0], Double.parseDouble(c[1]));
      }
    }
    return m;
  }

  static Map<String, Boolean> readTruth(Path f) throws IOException {
    Map<String, Boolean> m = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(f)) {
      List<String> cols = List.of(r.readLine().split(","));
      int bank = cols.indexOf("bank");
      int acc = cols.indexOf("account_id");
      int mule = cols.indexOf("is_mule");
      if (bank < 0 || acc < 0 || mule < 0) {
        throw new IOException(f + " needs columns bank, account_id, is_mule");
      }
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] c = line.split(",", -1);
        m.put(c[bank] + "/" + c[acc], c[mule].trim().equals("1"));
      }
    }
    return m;
  }
}
