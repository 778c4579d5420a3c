package io.cleanroom.eval.monitoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.ScoredRows;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StabilityIndexTest {

  private static WindowDistribution.Histogram histogram(long[] counts) {
    return new WindowDistribution.Histogram(0, 1, counts);
  }

  @Test
  void sameDistribution_hasZeroPsi() {
    long[] c = new long[20];
    Arrays.fill(c, 7);
    assertEquals(0, StabilityIndex.psi("x", histogram(c), histogram(c)).psi(), 1e-15);
  }

  @Test
  void shiftedDistribution_matchesHandValue() {
    long[] training = new long[20];
    Arrays.fill(training, 10);
    long[] later = new long[20];
    Arrays.fill(later, 0, 10, 5);
    Arrays.fill(later, 10, 20, 15);
    VariableStability s = StabilityIndex.psi("x", histogram(training), histogram(later));
    // Ten decile bins of 0.1 each; later shares 0.05 (five bins) and 0.15 (five bins):
    // 5·(0.05 − 0.1)·ln 0.5 + 5·(0.15 − 0.1)·ln 1.5
    assertEquals(0.27465307216702745, s.psi(), 1e-12);
    assertEquals(10, s.bins().size());
    assertEquals(0.1, s.bins().get(0).high(), 1e-12);
    assertEquals(0.05, s.bins().get(0).actual(), 1e-12);
  }

  @Test
  void tiedDeciles_areMerged() {
    long[] training = new long[20];
    training[0] = 50;
    training[19] = 50;
    assertArrayEquals(new int[] {0, 1, 20}, StabilityIndex.decileEdges(training, 100));
  }

  @Test
  void emptyBin_countsAsSmallShare() {
    long[] training = new long[20];
    Arrays.fill(training, 10);
    long[] later = training.clone();
    later[0] = 0;
    later[1] = 0;
    VariableStability s = StabilityIndex.psi("x", histogram(training), histogram(later));
    double a = StabilityIndex.EMPTY_SHARE;
    double rest = 20.0 / 180;
    double expected = (a - 0.1) * Math.log(a / 0.1) + 9 * (rest - 0.1) * Math.log(rest / 0.1);
    assertEquals(expected, s.psi(), 1e-12);
  }

  @Test
  void windowsFromSums_compareEveryVariable() {
    LogisticModel model = Synthetic.model();
    DistributionStatistic d = new DistributionStatistic(model, 200);
    List<ScoredRows> banks = Synthetic.banks();
    WindowDistribution training =
        d.fromTotals(Synthetic.sum(banks.stream().map(d::local).toList()));
    WindowDistribution later = d.fromTotals(d.local(banks.get(0)));
    StabilityReport report = StabilityIndex.compare(training, later);
    assertEquals(
        List.of("score", "log_in_amount", "pass_through", "cross_bank_in_share", "linked_risk"),
        report.variables().stream().map(VariableStability::variable).toList());
    assertEquals(800, training.histogram("score").total());
    // A window compared with itself is stable.
    assertEquals(0, StabilityIndex.compare(training, training).variable("score").psi(), 1e-15);
  }

  @Test
  void clippedValues_fallInTheEdgeBins() {
    LogisticModel model = Synthetic.model();
    DistributionStatistic d = new DistributionStatistic(model, 10);
    ScoredRows rows = Synthetic.bank(4, "d", 30);
    long[] v = d.local(rows);
    int linked = d.layout().offset("linked_risk");
    long[] counts = Arrays.copyOfRange(v, linked, linked + 10);
    long expectedTop = 0;
    for (double[] x : rows.rows().x()) {
      expectedTop += model.standardise(3, x[3]) >= 2.4 ? 1 : 0;
    }
    assertEquals(expectedTop, counts[9]);
    assertEquals(30, Arrays.stream(counts).sum());
  }

  @Test
  void emptyWindow_fails() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StabilityIndex.psi("x", histogram(new long[10]), histogram(new long[10])));
    assertEquals("x: a window has no accounts", e.getMessage());
  }

  @Test
  void differentVariables_fail() {
    WindowDistribution a = new WindowDistribution(Map.of("score", histogram(new long[] {1})));
    WindowDistribution b = new WindowDistribution(Map.of("other", histogram(new long[] {1})));
    assertThrows(IllegalArgumentException.class, () -> StabilityIndex.compare(a, b));
  }
}
