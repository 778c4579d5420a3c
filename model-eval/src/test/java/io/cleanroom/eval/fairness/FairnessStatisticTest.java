package io.cleanroom.eval.fairness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.stats.Estimate;
import io.cleanroom.eval.stats.Proportion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hand-made table. Gender F: 100 accounts, 20 alerts, 10 positives, 8 true positives; M: 200, 20,
 * 20, 10; X: 5 accounts (below the floor of 10). So alert rates F 0.2, M 0.1; TPR F 0.8, M 0.5; FPR
 * F 12/90, M 10/180; FDR F 12/20, M 10/20. Reference intervals computed by hand from the Wilson,
 * Newcombe and Katz formulas.
 */
class FairnessStatisticTest {

  private static final double EPS = 1e-9;
  private static final Confidence C95 = new Confidence(0.95);

  private static FairnessStatistic statistic() {
    return new FairnessStatistic(List.of(ProtectedAttribute.gender()), 0.5, 10, C95);
  }

  private static AttributeFairness handTable() {
    long[] totals = {100, 20, 10, 8, 200, 20, 20, 10, 5, 1, 1, 1};
    return statistic().fromTotals(totals).attribute("gender");
  }

  @Test
  void groupRates_matchHandValues() {
    AttributeFairness a = handTable();
    GroupMetrics f = a.groups().get(0);
    GroupMetrics m = a.groups().get(1);
    assertEquals(0.2, f.alertRate().value(), EPS);
    assertEquals(0.1333669333310325, f.alertRate().interval().low(), EPS);
    assertEquals(0.2888291655931589, f.alertRate().interval().high(), EPS);
    assertEquals(0.8, f.tpr().value(), EPS);
    assertEquals(12.0 / 90, f.fpr().value(), EPS);
    assertEquals(0.07794682040686314, f.fpr().interval().low(), EPS);
    assertEquals(0.21873930500697653, f.fpr().interval().high(), EPS);
    assertEquals(0.6, f.fdr().value(), EPS);
    assertEquals(0.1, m.alertRate().value(), EPS);
    assertEquals(0.5, m.tpr().value(), EPS);
    assertEquals(10.0 / 180, m.fpr().value(), EPS);
    assertEquals(0.030453273623977817, m.fpr().interval().low(), EPS);
    assertEquals(0.09923161341745598, m.fpr().interval().high(), EPS);
    assertEquals(0.5, m.fdr().value(), EPS);
  }

  @Test
  void smallGroup_isSuppressedAndLeftOut() {
    AttributeFairness a = handTable();
    GroupMetrics x = a.groups().get(2);
    assertTrue(x.suppressed());
    assertNull(x.counts());
    assertNull(x.alertRate());
    for (Disparity d : a.disparities()) {
      assertFalse("X".equals(d.lowGroup()) || "X".equals(d.highGroup()), d.metric());
    }
  }

  @Test
  void demographicParityDifference() {
    Disparity d = handTable().demographicParityDifference();
    assertEstimate(0.1, 0.017048810280696283, 0.19523202588708288, d.estimate());
    assertEquals("M", d.lowGroup());
    assertEquals("F", d.highGroup());
  }

  @Test
  void disparateImpact() {
    Disparity d = handTable().disparateImpact();
    assertEstimate(0.5, 0.28236069472527214, 0.8853923533629279, d.estimate());
  }

  @Test
  void fprRatio() {
    Disparity d = handTable().fprRatio();
    assertEstimate(0.41666666666666663, 0.18719195647438888, 0.9274496318161196, d.estimate());
    assertEquals("M", d.lowGroup());
  }

  @Test
  void fdrRatio() {
    Disparity d = handTable().fdrRatio();
    assertEstimate(0.8333333333333334, 0.4732580761088689, 1.4673694533734563, d.estimate());
  }

  @Test
  void equalizedOddsDifference_isTheLargerOfTprAndFpr() {
    Disparity d = handTable().equalizedOddsDifference();
    // TPR difference 0.3 [−0.0692, 0.5466]; FPR difference 0.0778 [0.00724, 0.1668]
    assertEstimate(0.3, 0.007242227560102982, 0.5466197381089994, d.estimate());
    assertEquals("from tpr_difference", d.note());
  }

  @Test
  void rateWithSmallDenominator_isNotReported() {
    // F: 50 accounts, 5 positives (< 10), so TPR is not reported; M likewise.
    long[] totals = {50, 10, 5, 4, 60, 6, 5, 2, 0, 0, 0, 0};
    AttributeFairness a = statistic().fromTotals(totals).attribute("gender");
    assertNull(a.groups().get(0).tpr());
    assertEquals(0.2, a.groups().get(0).alertRate().value(), EPS);
    assertEquals(
        "only fpr_difference is reported for two groups", a.equalizedOddsDifference().note());
    assertEquals(6.0 / 45 - 4.0 / 55, a.equalizedOddsDifference().estimate().value(), EPS);
  }

  @Test
  void noAlertsAnywhere_leavesRatiosUndefined() {
    long[] totals = {50, 0, 5, 0, 60, 0, 5, 0, 0, 0, 0, 0};
    Disparity d = statistic().fromTotals(totals).attribute("gender").disparateImpact();
    assertFalse(d.estimate().isDefined());
    assertEquals("the rate is 0 in every reported group", d.note());
  }

  @Test
  void local_countsEachRow() {
    List<Demographics> people = new ArrayList<>();
    people.add(new Demographics("F", null, null, null));
    people.add(new Demographics("F", null, null, null));
    people.add(new Demographics("M", null, null, null));
    FeatureRows rows =
        new FeatureRows(
            List.of("x"),
            List.of("a", "b", "c"),
            new double[][] {{0}, {0}, {0}},
            new int[] {1, 0, 1});
    ScoredRows scored = new ScoredRows(rows, new double[] {0.9, 0.5, 0.1}, people);
    assertArrayEquals(new long[] {2, 2, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0}, statistic().local(scored));
  }

  @Test
  void pooledRates_matchDirectCounts() {
    var banks = Synthetic.banks();
    var s = new FairnessStatistic(Synthetic.attributes(), 0.3, 10, C95);
    long[] totals = Synthetic.sum(banks.stream().map(s::local).toList());
    ScoredRows pooled = ScoredRows.concat(banks);
    long alerts = 0;
    long n = 0;
    for (int i = 0; i < pooled.size(); i++) {
      if (pooled.people().get(i).gender().equals("F")) {
        n++;
        alerts += pooled.scores()[i] >= 0.3 ? 1 : 0;
      }
    }
    Proportion f = s.fromTotals(totals).attribute("gender").groups().get(0).alertRate();
    assertEquals(n, f.trials());
    assertEquals(alerts, f.events());
  }

  @Test
  void inconsistentTotals_fail() {
    long[] totals = {10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    var e = assertThrows(IllegalArgumentException.class, () -> statistic().fromTotals(totals));
    assertTrue(e.getMessage().startsWith("inconsistent counts"), e.getMessage());
  }

  private static void assertEstimate(double value, double low, double high, Estimate e) {
    assertEquals(value, e.value(), EPS);
    assertEquals(low, e.interval().low(), EPS);
    assertEquals(high, e.interval().high(), EPS);
  }
}
