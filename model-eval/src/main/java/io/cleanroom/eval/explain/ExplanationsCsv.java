package io.cleanroom.eval.explain;

import io.cleanroom.eval.rows.ScoredRows;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes a bank's explanations of its flagged accounts (score at or above the alert threshold) as
 * UTF-8 CSV, one line per reason, accounts by decreasing score:
 *
 * <pre>
 * account_id,score,logit,rank,feature,value,contribution,reason_zh,reason_en
 * </pre>
 *
 * An account whose log-odds no feature raised has one line with the reason fields empty. Fields are
 * quoted as RFC 4180 requires. The file stays at the bank.
 */
public final class ExplanationsCsv {
  private ExplanationsCsv() {}

  public static final String HEADER =
      "account_id,score,logit,rank,feature,value,contribution,reason_zh,reason_en";

  /** Writes the explanations; returns the number of flagged accounts. */
  public static int write(
      Path file, DecisionExplainer explainer, ScoredRows rows, double alertThreshold)
      throws IOException {
    rows.requireFeatures(explainer.model().features());
    List<Integer> flagged = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.scores()[i] >= alertThreshold) {
        flagged.add(i);
      }
    }
    List<String> accounts = rows.rows().accounts();
    flagged.sort(
        Comparator.comparingDouble((Integer i) -> -rows.scores()[i]).thenComparing(accounts::get));
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (int i : flagged) {
        Explanation e = explainer.explain(rows.rows().x()[i]);
        String head =
            field(accounts.get(i)) + "," + number(rows.scores()[i]) + "," + number(e.logit());
        if (e.reasons().isEmpty()) {
          w.write(head + ",,,,,,\n");
        }
        for (Reason r : e.reasons()) {
          w.write(
              String.join(
                  ",",
                  head,
                  Integer.toString(r.rank()),
                  field(r.feature()),
                  number(r.value()),
                  number(r.contribution()),
                  field(r.text().zh()),
                  field(r.text().en())));
          w.write('\n');
        }
      }
    }
    return flagged.size();
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
