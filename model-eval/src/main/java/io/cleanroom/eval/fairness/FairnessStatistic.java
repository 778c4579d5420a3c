package io.cleanroom.eval.fairness;

import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.stats.Estimate;
import io.cleanroom.eval.stats.Interval;
import io.cleanroom.eval.stats.Proportion;
import io.cleanroom.eval.sum.Layout;
import io.cleanroom.eval.sum.Summable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Per-group confusion counts of the model's alerts, summed across banks.
 *
 * <p>Layout {@code fairness}: for each attribute, for each of its groups, a block {@code
 * <attribute>=<group>} of four counts: accounts, alerts (score ≥ the alert threshold), positives
 * (label 1) and true positives. Only integers are summed; the totals reveal each group's counts
 * over all banks together, never one bank's.
 */
public final class FairnessStatistic implements Summable<FairnessResult> {

  private static final int N = 0;
  private static final int ALERTS = 1;
  private static final int POSITIVES = 2;
  private static final int TRUE_POSITIVES = 3;
  private static final int COUNTS = 4;

  private final List<ProtectedAttribute> attributes;
  private final double alertThreshold;
  private final int cellFloor;
  private final Confidence confidence;
  private final Layout layout;
  private final int[][] offsets;

  /**
   * @param attributes the protected attributes and their groups
   * @param alertThreshold an account is flagged when its score is at least this
   * @param cellFloor groups with fewer accounts are suppressed (default 10)
   * @param confidence the level of every interval
   */
  public FairnessStatistic(
      List<ProtectedAttribute> attributes,
      double alertThreshold,
      int cellFloor,
      Confidence confidence) {
    ProtectedAttribute.requireDistinct(attributes);
    if (!(alertThreshold >= 0 && alertThreshold <= 1)) {
      throw new IllegalArgumentException(
          "alert threshold must be in [0, 1], got " + alertThreshold);
    }
    if (cellFloor < 1) {
      throw new IllegalArgumentException("cell-size floor must be at least 1, got " + cellFloor);
    }
    this.attributes = List.copyOf(attributes);
    this.alertThreshold = alertThreshold;
    this.cellFloor = cellFloor;
    this.confidence = confidence;
    Layout.Builder b = Layout.builder("fairness");
    for (ProtectedAttribute a : attributes) {
      for (String g : a.groups()) {
        b.block(block(a, g), COUNTS);
      }
    }
    this.layout = b.build();
    this.offsets = new int[attributes.size()][];
    for (int k = 0; k < offsets.length; k++) {
      ProtectedAttribute a = attributes.get(k);
      offsets[k] = a.groups().stream().mapToInt(g -> layout.offset(block(a, g))).toArray();
    }
  }

  private static String block(ProtectedAttribute a, String group) {
    return a.name() + "=" + group;
  }

  @Override
  public Layout layout() {
    return layout;
  }

  @Override
  public long[] local(ScoredRows rows) {
    long[] v = layout.zeros();
    int[] y = rows.rows().y();
    for (int i = 0; i < rows.size(); i++) {
      boolean alert = rows.scores()[i] >= alertThreshold;
      Demographics holder = rows.people().get(i);
      for (int a = 0; a < offsets.length; a++) {
        int k = offsets[a][attributes.get(a).group(holder)];
        v[k + N]++;
        v[k + ALERTS] += alert ? 1 : 0;
        v[k + POSITIVES] += y[i];
        v[k + TRUE_POSITIVES] += alert ? y[i] : 0;
      }
    }
    return v;
  }

  @Override
  public FairnessResult fromTotals(long[] totals) {
    layout.requireSize(totals);
    List<AttributeFairness> out = new ArrayList<>();
    for (ProtectedAttribute a : attributes) {
      List<GroupMetrics> groups = new ArrayList<>();
      for (String g : a.groups()) {
        long[] c = layout.slice(totals, block(a, g));
        groups.add(metrics(g, new GroupCounts(c[N], c[ALERTS], c[POSITIVES], c[TRUE_POSITIVES])));
      }
      out.add(attribute(a.name(), groups));
    }
    return new FairnessResult(alertThreshold, cellFloor, confidence.level(), out);
  }

  /** The metrics of one group's counts, suppressed below the cell-size floor. */
  GroupMetrics metrics(String group, GroupCounts c) {
    if (c.n() < cellFloor) {
      return GroupMetrics.suppressed(group);
    }
    return new GroupMetrics(
        group,
        c,
        rate(c.alerts(), c.n()),
        rate(c.truePositives(), c.positives()),
        rate(c.falsePositives(), c.negatives()),
        rate(c.falsePositives(), c.alerts()));
  }

  private Proportion rate(long events, long trials) {
    return trials < cellFloor ? null : Proportion.of(events, trials, confidence);
  }

  /** The disparities across the groups of one attribute. */
  AttributeFairness attribute(String name, List<GroupMetrics> groups) {
    Disparity tpr = difference("tpr_difference", groups, GroupMetrics::tpr);
    Disparity fpr = difference("fpr_difference", groups, GroupMetrics::fpr);
    return new AttributeFairness(
        name,
        groups,
        difference("demographic_parity_difference", groups, GroupMetrics::alertRate),
        ratio("disparate_impact", groups, GroupMetrics::alertRate),
        ratio("fpr_ratio", groups, GroupMetrics::fpr),
        ratio("fdr_ratio", groups, GroupMetrics::fdr),
        equalizedOdds(tpr, fpr));
  }

  private Disparity difference(
      String metric, List<GroupMetrics> groups, Function<GroupMetrics, Proportion> rate) {
    GroupMetrics[] extremes = extremes(groups, rate);
    if (extremes == null) {
      return Disparity.undefined(metric, "fewer than two groups with this rate reported");
    }
    Estimate e = rate.apply(extremes[1]).minus(rate.apply(extremes[0]));
    return new Disparity(metric, e, extremes[0].group(), extremes[1].group(), null);
  }

  private Disparity ratio(
      String metric, List<GroupMetrics> groups, Function<GroupMetrics, Proportion> rate) {
    GroupMetrics[] extremes = extremes(groups, rate);
    if (extremes == null) {
      return Disparity.undefined(metric, "fewer than two groups with this rate reported");
    }
    Proportion high = rate.apply(extremes[1]);
    if (high.events() == 0) {
      return Disparity.undefined(metric, "the rate is 0 in every reported group");
    }
    Estimate e = rate.apply(extremes[0]).over(high, confidence);
    return new Disparity(metric, e, extremes[0].group(), extremes[1].group(), null);
  }

  private static Disparity equalizedOdds(Disparity tpr, Disparity fpr) {
    String metric = "equalized_odds_difference";
    boolean hasTpr = tpr.estimate().isDefined();
    boolean hasFpr = fpr.estimate().isDefined();
    if (!hasTpr && !hasFpr) {
      return Disparity.undefined(metric, "neither TPR nor FPR is reported for two groups");
    }
    if (!hasTpr || !hasFpr) {
      Disparity only = hasTpr ? tpr : fpr;
      return new Disparity(
          metric,
          only.estimate(),
          only.lowGroup(),
          only.highGroup(),
          "only " + only.metric() + " is reported for two groups");
    }
    Disparity larger = tpr.estimate().value() >= fpr.estimate().value() ? tpr : fpr;
    Interval t = tpr.estimate().interval();
    Interval f = fpr.estimate().interval();
    Estimate e =
        new Estimate(
            larger.estimate().value(),
            new Interval(Math.max(t.low(), f.low()), Math.max(t.high(), f.high())));
    return new Disparity(
        metric, e, larger.lowGroup(), larger.highGroup(), "from " + larger.metric());
  }

  /**
   * The groups with the lowest and the highest reported rate: on ties the first group in order for
   * the lowest and the last for the highest, so that the two always differ.
   */
  private static GroupMetrics[] extremes(
      List<GroupMetrics> groups, Function<GroupMetrics, Proportion> rate) {
    GroupMetrics low = null;
    GroupMetrics high = null;
    int reported = 0;
    for (GroupMetrics g : groups) {
      Proportion p = g.suppressed() ? null : rate.apply(g);
      if (p == null) {
        continue;
      }
      reported++;
      if (low == null || p.value() < rate.apply(low).value()) {
        low = g;
      }
      if (high == null || p.value() >= rate.apply(high).value()) {
        high = g;
      }
    }
    return reported < 2 ? null : new GroupMetrics[] {low, high};
  }
}
