package io.cleanroom.eval.report;

import static io.cleanroom.eval.report.Html.cell;
import static io.cleanroom.eval.report.Html.esc;
import static io.cleanroom.eval.report.Html.fixed;
import static io.cleanroom.eval.report.Html.interval;
import static io.cleanroom.eval.report.Html.num;
import static io.cleanroom.eval.report.Html.rate;

import io.cleanroom.eval.explain.Direction;
import io.cleanroom.eval.explain.FeatureImportance;
import io.cleanroom.eval.explain.ReasonText;
import io.cleanroom.eval.fairness.AttributeFairness;
import io.cleanroom.eval.fairness.Correlation;
import io.cleanroom.eval.fairness.Disparity;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.GroupMetrics;
import io.cleanroom.eval.monitoring.GroupDrift;
import io.cleanroom.eval.monitoring.VariableStability;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.policy.Policy;
import io.cleanroom.eval.quality.DataQualityCounts;
import io.cleanroom.eval.quality.FeatureQuality;
import io.cleanroom.eval.validation.CalibrationBin;
import io.cleanroom.eval.validation.ValidationResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report page's sections on the model: data quality, validation, fairness, proxy check,
 * explainability and monitoring.
 */
final class ModelSections {
  private ModelSections() {}

  private static final int PROXY_ROWS = 15;

  static void dataQuality(Html h, Evidence e) {
    h.section("quality", "Data quality per bank 資料品質 (article 7)");
    if (e.dataQuality() == null) {
      h.element("p class=\"none\"", "No data-quality evidence.");
      h.endSection();
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    e.dataQuality()
        .forEach(
            (bank, c) -> {
              FeatureQuality missing = c.mostMissing();
              FeatureQuality outside = c.mostOutOfRange();
              rows.add(
                  List.of(
                      esc(bank),
                      cell(c.rows()),
                      cell(total(c, true)),
                      esc(missing.feature() + " (" + missing.missing() + ")"),
                      cell(total(c, false)),
                      esc(outside.feature() + " (" + outside.outOfRange() + ")"),
                      esc(missingDemographics(c))));
            });
    h.table(
        List.of(
            "Bank",
            "Rows",
            "Missing values",
            "Most missing",
            "Out-of-range values",
            "Most out of range",
            "Missing protected attributes"),
        rows);
    h.endSection();
  }

  private static String missingDemographics(DataQualityCounts c) {
    List<String> parts = new ArrayList<>();
    c.missingDemographics()
        .forEach(
            (attribute, n) -> {
              if (n > 0) {
                parts.add(attribute + " " + n);
              }
            });
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  private static long total(DataQualityCounts c, boolean missing) {
    long t = 0;
    for (FeatureQuality f : c.features()) {
      t += missing ? f.missing() : f.outOfRange();
    }
    return t;
  }

  static void validation(Html h, ValidationResult v) {
    h.section("validation", "Validation 模型驗證 (article 7)");
    if (v == null) {
      h.element("p class=\"none\"", "No validation evidence.");
      h.endSection();
      return;
    }
    h.table(
        List.of("Metric", "Value", "Interval or error bound"),
        List.of(
            List.of(
                "Accounts / alert accounts", cell(v.accounts()) + " / " + cell(v.positives()), ""),
            List.of(
                "AUC",
                num(v.auc().value()),
                interval(v.auc().interval())
                    + esc(" (Hanley–McNeil); binning ± ")
                    + num(v.aucBinningError())),
            List.of("Average precision", num(v.averagePrecision()), "ties within a bin"),
            List.of(
                esc("Recall at top " + fixed(100 * v.alertBudget(), 2) + "% of accounts"),
                num(v.recallAtBudget()),
                "binning ± " + num(v.recallBinningError())),
            List.of("Alert threshold at the budget", num(v.thresholdAtBudget()), ""),
            List.of("Expected calibration error", num(v.expectedCalibrationError()), "")));
    h.raw("<div class=\"charts\">\n")
        .raw(Charts.roc(v))
        .raw(Charts.precisionRecall(v))
        .raw(Charts.scoreDistribution(v.distribution()))
        .raw("</div>\n");
    h.element("h3", "Calibration by decile 分組校準");
    List<List<String>> rows = new ArrayList<>();
    for (CalibrationBin c : v.calibration()) {
      rows.add(
          List.of(
              num(c.lowScore()) + "–" + num(c.highScore()),
              cell(c.accounts()),
              num(c.meanScore()),
              rate(c.observed())));
    }
    h.table(List.of("Scores", "Accounts", "Mean score", "Observed alert share [interval]"), rows);
    h.endSection();
  }

  static void fairness(Html h, FairnessResult f) {
    h.section("fairness", "Fairness 公平對待 (article 6)");
    if (f == null) {
      h.element("p class=\"none\"", "No fairness evidence.");
      h.endSection();
      return;
    }
    h.element(
        "p",
        "An account is flagged when its score is at least "
            + num(f.alertThreshold())
            + ". Groups with fewer than "
            + f.cellFloor()
            + " accounts are suppressed; intervals at "
            + Math.round(100 * f.confidenceLevel())
            + "% (Wilson for rates, Katz for ratios, Newcombe for differences).");
    int index = 0;
    for (AttributeFairness a : f.attributes()) {
      h.element("h3", a.attribute());
      List<List<String>> rows = new ArrayList<>();
      for (GroupMetrics g : a.groups()) {
        if (g.suppressed()) {
          rows.add(
              List.of(
                  esc(g.group()), "<span class=\"none\">suppressed</span>", "", "", "", "", ""));
          continue;
        }
        rows.add(
            List.of(
                esc(g.group()),
                cell(g.counts().n()),
                cell(g.counts().alerts()),
                rate(g.alertRate()),
                rate(g.tpr()),
                rate(g.fpr()),
                rate(g.fdr())));
      }
      h.table(List.of("Group", "Accounts", "Alerts", "Alert rate", "TPR", "FPR", "FDR"), rows);
      List<List<String>> disparities = new ArrayList<>();
      for (Disparity d : a.disparities()) {
        disparities.add(
            List.of(
                esc(d.metric()),
                num(d.estimate().value()),
                interval(d.estimate().interval()),
                esc(d.lowGroup() == null ? "" : d.lowGroup() + " vs " + d.highGroup()),
                esc(d.note() == null ? "" : d.note())));
      }
      h.table(
          List.of("Metric", "Value", "Interval", "Groups (lowest vs highest)", "Note"),
          disparities);
      h.raw(Charts.groupRates(a, index++, f.confidenceLevel()));
    }
    h.endSection();
  }

  static void proxy(Html h, Evidence e) {
    h.section("proxy", "Proxy check 代理變數檢查 (article 6)");
    if (e.proxy() == null) {
      h.element("p class=\"none\"", "No proxy-check evidence.");
      h.endSection();
      return;
    }
    h.element(
        "p",
        "Pearson correlation of each model input with each protected group's indicator; the "
            + PROXY_ROWS
            + " strongest are shown (all are in report.json).");
    List<List<String>> rows = new ArrayList<>();
    e.proxy().correlations().stream()
        .filter(c -> !Double.isNaN(c.r()))
        .sorted(Comparator.comparingDouble((Correlation c) -> -Math.abs(c.r())))
        .limit(PROXY_ROWS)
        .forEach(
            c ->
                rows.add(
                    List.of(esc(c.feature()), esc(c.attribute() + "=" + c.group()), num(c.r()))));
    h.table(List.of("Feature", "Group", "r"), rows);
    h.endSection();
  }

  static void explainability(Html h, Evidence e) {
    h.section("explain", "Explainability 可解釋性 (article 7)");
    if (e.explanation() == null) {
      h.element("p class=\"none\"", "No global explanation.");
      h.endSection();
      return;
    }
    h.element(
        "p",
        "The model is linear in its standardised inputs, so a feature's contribution to an account's"
            + " log-odds is exactly its standardised weight times the account's standardised value."
            + " Intercept (log-odds at the training means): "
            + num(e.explanation().intercept())
            + ". Per-decision explanations stay at each bank; delivered by: "
            + (e.explanationsDeliveredBy() == null
                ? "none"
                : String.join(", ", e.explanationsDeliveredBy()))
            + ".");
    h.raw(Charts.weights(e.explanation()));
    List<List<String>> rows = new ArrayList<>();
    for (FeatureImportance f : e.explanation().byImportance()) {
      ReasonText high = e.reasonTexts().reason(f.feature(), Direction.HIGH);
      ReasonText low = e.reasonTexts().reason(f.feature(), Direction.LOW);
      rows.add(
          List.of(
              "<code>" + esc(f.feature()) + "</code>",
              num(f.weight()),
              num(f.standardisedWeight()),
              num(f.meanAbsContribution()),
              esc(high.zh()) + "<br>" + esc(high.en()),
              esc(low.zh()) + "<br>" + esc(low.en())));
    }
    h.table(
        List.of(
            "Feature",
            "Weight (raw)",
            "Standardised weight",
            "Mean |contribution|",
            "Reason when high 偏高時理由",
            "Reason when low 偏低時理由"),
        rows);
    h.endSection();
  }

  static void monitoring(Html h, GovernanceReport report) {
    Evidence e = report.evidence();
    h.section("monitoring", "Monitoring 監控 (articles 7 and 13)");
    if (e.stability() == null) {
      h.element("p class=\"none\"", "No later window: population stability not measured.");
    } else {
      Policy.Monitoring m = report.policy().monitoring();
      double watch = m.psi().warn() == null ? m.psi().limit() : m.psi().warn();
      h.raw(Charts.psi(e.stability(), watch, m.psi().limit()));
      List<List<String>> rows = new ArrayList<>();
      for (VariableStability v : e.stability().variables()) {
        rows.add(
            List.of("<code>" + esc(v.variable()) + "</code>", num(v.psi()), cell(v.bins().size())));
      }
      h.table(List.of("Variable", "PSI", "Bins"), rows);
    }
    if (e.alertRateDrift() != null) {
      List<List<String>> rows = new ArrayList<>();
      for (GroupDrift g : e.alertRateDrift()) {
        rows.add(
            List.of(
                esc(g.attribute() + "=" + g.group()),
                rate(g.training()),
                rate(g.later()),
                num(g.ratio().value()) + " " + interval(g.ratio().interval())));
      }
      h.element("h3", "Alert-rate drift per group");
      h.table(List.of("Group", "Training window", "Later window", "Ratio [interval]"), rows);
    }
    h.endSection();
  }
}
