package io.cleanroom.eval.policy;

import io.cleanroom.eval.fairness.AttributeFairness;
import io.cleanroom.eval.fairness.Correlation;
import io.cleanroom.eval.fairness.Disparity;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.stats.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The checks of article 6: protected attributes as features, group fairness, proxies. */
final class FairnessChecks {

  private final Policy policy;
  private final Evidence evidence;

  FairnessChecks(Policy policy, Evidence evidence) {
    this.policy = policy;
    this.evidence = evidence;
  }

  List<Check> article6() {
    List<Check> out = new ArrayList<>();
    out.add(protectedFeatures());
    FairnessResult f = evidence.fairness();
    if (f == null) {
      out.add(Check.missing("6.fairness", "fairness evidence"));
    } else {
      out.add(fairnessSettings(f));
      for (AttributeFairness a : f.attributes()) {
        for (Disparity d : a.disparities()) {
          out.add(disparity(a.attribute(), d));
        }
      }
    }
    out.add(proxy());
    return out;
  }

  private Check protectedFeatures() {
    Policy.ProtectedAttributes rule = policy.protectedAttributes();
    List<String> used = new ArrayList<>();
    for (String feature : evidence.model().features()) {
      String f = feature.toLowerCase(Locale.ROOT);
      for (String name : rule.names()) {
        String n = name.toLowerCase(Locale.ROOT);
        if (f.equals(n) || f.startsWith(n + "_")) {
          used.add(feature);
          break;
        }
      }
    }
    String id = "6.protected_features";
    String ruleText = "protected attributes as features: " + Policy.label(rule.asFeatures());
    if (used.isEmpty()) {
      return Check.of(
          id,
          Verdict.PASS,
          ruleText,
          "none of the "
              + evidence.model().features().size()
              + " features is a protected attribute");
    }
    String list = String.join(", ", used);
    return switch (rule.asFeatures()) {
      case FORBIDDEN -> Check.of(id, Verdict.FAIL, ruleText, "protected attributes used: " + list);
      case JUSTIFIED ->
          Check.of(
              id, Verdict.PASS, ruleText, list + " used; justification: " + rule.justification());
      case ALLOWED -> Check.of(id, Verdict.PASS, ruleText, list + " used, as the policy allows");
    };
  }

  private Check fairnessSettings(FairnessResult f) {
    Policy.Fairness p = policy.fairness();
    String rule =
        "cell-size floor ≥ "
            + p.cellSizeFloor()
            + ", confidence level "
            + Numbers.format(p.confidenceLevel());
    String found =
        "computed with floor "
            + f.cellFloor()
            + ", confidence level "
            + Numbers.format(f.confidenceLevel())
            + ", alert threshold "
            + Numbers.format(f.alertThreshold());
    boolean ok = f.cellFloor() >= p.cellSizeFloor() && f.confidenceLevel() == p.confidenceLevel();
    return Check.of("6.fairness_settings", ok ? Verdict.PASS : Verdict.FAIL, rule, found);
  }

  private Check disparity(String attribute, Disparity d) {
    String id = "6." + attribute + "." + d.metric();
    Bound bound = policy.fairness().bound(d.metric());
    if (!d.estimate().isDefined()) {
      return new Check(
          id,
          Verdict.WARN,
          Double.NaN,
          Interval.UNDEFINED,
          bound.describe(),
          "undefined: " + d.note());
    }
    double v = d.estimate().value();
    Interval i = d.estimate().interval();
    String detail =
        Numbers.format(v)
            + " ["
            + Numbers.format(i.low())
            + ", "
            + Numbers.format(i.high())
            + "], "
            + d.lowGroup()
            + " (lowest) vs "
            + d.highGroup()
            + " (highest)"
            + (d.note() == null ? "" : ", " + d.note());
    Verdict verdict = bound.judgeConclusive(v, i);
    if (bound.judge(v, i) == Verdict.FAIL && verdict == Verdict.WARN) {
      detail += ", beyond the limit but inconclusive: the interval reaches the limit";
    }
    return new Check(id, verdict, v, i, bound.describe(), detail);
  }

  private Check proxy() {
    String id = "6.proxy";
    if (evidence.proxy() == null) {
      return Check.missing(id, "proxy-check evidence");
    }
    Bound bound = policy.fairness().proxyCorrelation();
    Correlation c = evidence.proxy().strongest();
    if (c == null) {
      return Check.of(id, Verdict.WARN, bound.describe(), "no correlation could be computed");
    }
    double r = Math.abs(c.r());
    return new Check(
        id,
        bound.judge(r),
        r,
        Interval.UNDEFINED,
        "|r| " + bound.describe(),
        "strongest: "
            + c.feature()
            + " with "
            + c.attribute()
            + "="
            + c.group()
            + ", r = "
            + Numbers.format(c.r()));
  }
}
