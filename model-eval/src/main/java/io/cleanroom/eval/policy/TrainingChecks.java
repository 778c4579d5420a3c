package io.cleanroom.eval.policy;

import io.cleanroom.eval.monitoring.GroupDrift;
import io.cleanroom.eval.monitoring.VariableStability;
import io.cleanroom.eval.policy.Policy.LifecycleStage;
import io.cleanroom.eval.quality.DataQualityCounts;
import io.cleanroom.eval.quality.FeatureQuality;
import io.cleanroom.eval.stats.Interval;
import io.cleanroom.eval.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;

/** The checks of article 7: data quality, validation, explainability and monitoring. */
final class TrainingChecks {

  private final Policy policy;
  private final Evidence evidence;

  TrainingChecks(Policy policy, Evidence evidence) {
    this.policy = policy;
    this.evidence = evidence;
  }

  List<Check> article7() {
    List<Check> out = new ArrayList<>();
    dataQuality(out);
    validation(out);
    explainability(out);
    monitoring(out);
    return out;
  }

  private void dataQuality(List<Check> out) {
    if (evidence.dataQuality() == null) {
      out.add(Check.missing("7.data_quality", "data-quality evidence"));
      return;
    }
    Policy.DataQuality p = policy.dataQuality();
    for (String bank : evidence.banks()) {
      DataQualityCounts c = evidence.dataQuality().get(bank);
      String id = "7.data_quality." + bank;
      if (c == null || c.rows() == 0) {
        out.add(
            Check.of(id, Verdict.FAIL, "counts from every bank", "no data-quality counts or rows"));
        continue;
      }
      FeatureQuality missing = c.mostMissing();
      FeatureQuality outside = c.mostOutOfRange();
      out.add(share(id + ".missing", p.missingShare(), missing.missing(), c.rows(), missing));
      out.add(
          share(
              id + ".out_of_range", p.outOfRangeShare(), outside.outOfRange(), c.rows(), outside));
    }
  }

  private static Check share(String id, Bound bound, long count, long rows, FeatureQuality f) {
    double share = (double) count / rows;
    return new Check(
        id,
        bound.judge(share),
        share,
        Interval.UNDEFINED,
        "share of rows " + bound.describe(),
        count + " of " + rows + " rows, worst feature " + f.feature());
  }

  private void validation(List<Check> out) {
    ValidationResult v = evidence.validation();
    if (v == null) {
      out.add(Check.missing("7.validation", "validation evidence"));
      return;
    }
    Policy.Validation p = policy.validation();
    Bound auc = p.auc();
    out.add(
        new Check(
            "7.validation.auc",
            auc.judge(v.auc().value(), v.auc().interval()),
            v.auc().value(),
            v.auc().interval(),
            auc.describe(),
            "AUC over "
                + v.accounts()
                + " accounts, "
                + v.positives()
                + " alert accounts; binning error ≤ "
                + Numbers.format(v.aucBinningError())));
    Bound ap = p.averagePrecision();
    out.add(
        new Check(
            "7.validation.average_precision",
            ap.judge(v.averagePrecision()),
            v.averagePrecision(),
            Interval.UNDEFINED,
            ap.describe(),
            "prevalence " + Numbers.format((double) v.positives() / v.accounts())));
    out.add(recall(v, p));
    out.add(
        Check.of(
            "7.validation.calibration",
            v.calibration().isEmpty() ? Verdict.FAIL : Verdict.PASS,
            "calibration by decile reported (no limit)",
            v.calibration().size()
                + " deciles, expected calibration error "
                + Numbers.format(v.expectedCalibrationError())));
  }

  private static Check recall(ValidationResult v, Policy.Validation p) {
    String id = "7.validation.recall_at_budget";
    Bound bound = p.recallAtBudget();
    if (v.alertBudget() != p.alertBudget()) {
      return Check.of(
          id,
          Verdict.FAIL,
          "alert budget " + Numbers.format(p.alertBudget()),
          "evidence computed at alert budget " + Numbers.format(v.alertBudget()));
    }
    double r = v.recallAtBudget();
    Interval band =
        Double.isNaN(r)
            ? Interval.UNDEFINED
            : new Interval(r - v.recallBinningError(), r + v.recallBinningError());
    return new Check(
        id,
        bound.judge(r, band),
        r,
        band,
        bound.describe() + " at the top " + Numbers.format(100 * p.alertBudget()) + "% of accounts",
        "alert threshold " + Numbers.format(v.thresholdAtBudget()) + "; interval: binning error");
  }

  private void explainability(List<Check> out) {
    if (evidence.explanation() == null) {
      out.add(Check.missing("7.explainability.global", "global explanation"));
    } else {
      List<String> top = new ArrayList<>();
      evidence.explanation().byImportance().stream().limit(3).forEach(f -> top.add(f.feature()));
      out.add(
          Check.of(
              "7.explainability.global",
              Verdict.PASS,
              "weights and mean absolute contributions reported",
              "most influential: " + String.join(", ", top)));
    }
    if (policy.explainability().perDecisionRequired()) {
      List<String> delivered = evidence.explanationsDeliveredBy();
      List<String> lacking = new ArrayList<>(evidence.banks());
      if (delivered != null) {
        lacking.removeAll(delivered);
      }
      out.add(
          Check.of(
              "7.explainability.per_decision",
              lacking.isEmpty() ? Verdict.PASS : Verdict.FAIL,
              "every bank explains its alerts (at most "
                  + policy.explainability().maxReasons()
                  + " reasons each)",
              lacking.isEmpty()
                  ? "delivered by all " + evidence.banks().size() + " banks"
                  : "not delivered by " + String.join(", ", lacking)));
    }
    List<String> generic = new ArrayList<>();
    for (String f : evidence.model().features()) {
      if (!evidence.reasonTexts().covers(f)) {
        generic.add(f);
      }
    }
    out.add(
        Check.of(
            "7.explainability.reason_texts",
            generic.isEmpty() ? Verdict.PASS : Verdict.WARN,
            "a Chinese and English reason text for every feature",
            generic.isEmpty()
                ? "all " + evidence.model().features().size() + " features covered"
                : "generic text only for " + String.join(", ", generic)));
  }

  private void monitoring(List<Check> out) {
    boolean operating = policy.risk().lifecycleStage() == LifecycleStage.OPERATION;
    if (evidence.stability() == null && evidence.alertRateDrift() == null && !operating) {
      out.add(
          Check.of(
              "7.monitoring",
              Verdict.PASS,
              "required in operation",
              "no later window yet (stage " + Policy.label(policy.risk().lifecycleStage()) + ")"));
      return;
    }
    if (evidence.stability() == null) {
      out.add(Check.missing("7.monitoring.psi", "PSI between the training and a later window"));
    } else {
      Bound psi = policy.monitoring().psi();
      for (VariableStability s : evidence.stability().variables()) {
        out.add(
            new Check(
                "7.monitoring.psi." + s.variable(),
                psi.judge(s.psi()),
                s.psi(),
                Interval.UNDEFINED,
                psi.describe(),
                stability(psi.judge(s.psi())) + " over " + s.bins().size() + " bins"));
      }
    }
    if (evidence.alertRateDrift() == null) {
      out.add(Check.missing("7.monitoring.alert_rate", "alert-rate drift per group"));
    } else {
      Bound change = policy.monitoring().alertRateChange();
      for (GroupDrift g : evidence.alertRateDrift()) {
        out.add(
            new Check(
                "7.monitoring.alert_rate." + g.attribute() + "=" + g.group(),
                change.judge(g.change()),
                g.change(),
                Interval.UNDEFINED,
                "factor of change " + change.describe(),
                "alert rate "
                    + Numbers.format(g.training().value())
                    + " → "
                    + Numbers.format(g.later().value())));
      }
    }
  }

  private static String stability(Verdict v) {
    return switch (v) {
      case PASS -> "stable";
      case WARN -> "watch";
      case FAIL -> "act";
    };
  }
}
