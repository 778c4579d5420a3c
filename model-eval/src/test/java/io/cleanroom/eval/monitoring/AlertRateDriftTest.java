package io.cleanroom.eval.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProtectedAttribute;
import io.cleanroom.eval.stats.Confidence;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRateDriftTest {

  private static final Confidence C95 = new Confidence(0.95);

  private static FairnessResult window(double threshold, long[] totals) {
    return new FairnessStatistic(List.of(ProtectedAttribute.gender()), threshold, 10, C95)
        .fromTotals(totals);
  }

  @Test
  void drift_isTheRatioOfAlertRates() {
    // F: 10/100 → 30/100; M: 20/200 → 10/200; X below the floor in the later window.
    FairnessResult training = window(0.5, new long[] {100, 10, 0, 0, 200, 20, 0, 0, 50, 5, 0, 0});
    FairnessResult later = window(0.5, new long[] {100, 30, 0, 0, 200, 10, 0, 0, 5, 1, 0, 0});
    List<GroupDrift> drift = AlertRateDrift.compare(training, later, C95);
    assertEquals(2, drift.size());
    GroupDrift f = drift.get(0);
    assertEquals("F", f.group());
    assertEquals(3, f.ratio().value(), 1e-12);
    assertEquals(3, f.change(), 1e-12);
    GroupDrift m = drift.get(1);
    assertEquals(0.5, m.ratio().value(), 1e-12);
    assertEquals(2, m.change(), 1e-12);
  }

  @Test
  void alertsAppearing_isAnInfiniteChange() {
    FairnessResult training = window(0.5, new long[] {100, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0});
    FairnessResult later = window(0.5, new long[] {100, 3, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0});
    List<GroupDrift> drift = AlertRateDrift.compare(training, later, C95);
    assertEquals(Double.POSITIVE_INFINITY, drift.get(0).change());
    assertEquals(1, drift.get(1).change());
  }

  @Test
  void differentThresholds_fail() {
    long[] totals = {100, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0};
    assertThrows(
        IllegalArgumentException.class,
        () -> AlertRateDrift.compare(window(0.5, totals), window(0.4, totals), C95));
  }
}
