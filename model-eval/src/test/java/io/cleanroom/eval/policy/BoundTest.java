package io.cleanroom.eval.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.eval.stats.Interval;
import org.junit.jupiter.api.Test;

class BoundTest {

  @Test
  void lowerLimit_withWarnAndInterval() {
    Bound b = Bound.min(0.75).warnAt(0.8);
    assertEquals(Verdict.FAIL, b.judge(0.74));
    assertEquals(Verdict.WARN, b.judge(0.75));
    assertEquals(Verdict.WARN, b.judge(0.79));
    assertEquals(Verdict.PASS, b.judge(0.8));
    assertEquals(Verdict.WARN, b.judge(0.85, new Interval(0.7, 0.9)));
    assertEquals(Verdict.PASS, b.judge(0.85, new Interval(0.76, 0.9)));
    assertEquals(Verdict.WARN, b.judge(Double.NaN));
    assertEquals(Verdict.FAIL, b.judgeConclusive(0.5, new Interval(0.4, 0.7)));
    assertEquals(Verdict.WARN, b.judgeConclusive(0.5, new Interval(0.3, 0.9)));
    assertEquals(Verdict.FAIL, b.judgeConclusive(0.5, Interval.UNDEFINED));
    assertEquals(Verdict.PASS, b.judgeConclusive(0.85, new Interval(0.76, 0.9)));
  }

  @Test
  void upperLimit_stableWatchAct() {
    Bound psi = Bound.max(0.25).warnAt(0.1);
    assertEquals(Verdict.PASS, psi.judge(0.09));
    assertEquals(Verdict.WARN, psi.judge(0.1));
    assertEquals(Verdict.WARN, psi.judge(0.25));
    assertEquals(Verdict.FAIL, psi.judge(0.26));
    assertEquals(Verdict.WARN, Bound.max(0.1).judge(0.05, new Interval(0.0, 0.12)));
  }

  @Test
  void describe_readsAsARule() {
    assertEquals("≥ 0.8", Bound.min(0.8).describe());
    assertEquals("≤ 0.25, warn ≥ 0.1", Bound.max(0.25).warnAt(0.1).describe());
    assertEquals("≤ 1000", Bound.max(1000).describe());
  }

  @Test
  void warnOutsideLimit_fails() {
    assertThrows(IllegalArgumentException.class, () -> Bound.max(0.1).warnAt(0.2));
  }

  @Test
  void verdicts_combineToTheWorst() {
    assertEquals(Verdict.WARN, Verdict.PASS.and(Verdict.WARN));
    assertEquals(Verdict.FAIL, Verdict.FAIL.and(Verdict.WARN));
  }
}
