package io.cleanroom.eval.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reference values computed by hand from the published formulas. */
class ProportionTest {

  private static final Confidence C95 = new Confidence(0.95);
  private static final double EPS = 1e-9;

  @Test
  void z_ofNinetyFivePercent() {
    assertEquals(1.959963984540054, C95.z(), 1e-12);
  }

  @Test
  void wilson_matchesHandValues() {
    Proportion p = Proportion.of(20, 100, C95);
    assertEquals(0.2, p.value(), EPS);
    assertEquals(0.1333669333310325, p.interval().low(), EPS);
    assertEquals(0.2888291655931589, p.interval().high(), EPS);
  }

  @Test
  void wilson_atZeroAndOne_staysInUnitInterval() {
    Proportion zero = Proportion.of(0, 10, C95);
    assertEquals(0, zero.interval().low(), EPS);
    assertEquals(0.2775327998628892, zero.interval().high(), EPS);
    Proportion all = Proportion.of(10, 10, C95);
    assertEquals(0.7224672001371107, all.interval().low(), EPS);
    assertEquals(1, all.interval().high(), EPS);
  }

  @Test
  void newcombe_difference() {
    Estimate d = Proportion.of(20, 100, C95).minus(Proportion.of(20, 200, C95));
    assertEquals(0.1, d.value(), EPS);
    assertEquals(0.017048810280696283, d.interval().low(), EPS);
    assertEquals(0.19523202588708288, d.interval().high(), EPS);
  }

  @Test
  void katz_ratio() {
    Estimate r = Proportion.of(20, 200, C95).over(Proportion.of(20, 100, C95), C95);
    assertEquals(0.5, r.value(), EPS);
    assertEquals(0.28236069472527214, r.interval().low(), EPS);
    assertEquals(0.8853923533629279, r.interval().high(), EPS);
  }

  @Test
  void katz_withNoEvents_startsAtZero() {
    Estimate r = Proportion.of(0, 50, C95).over(Proportion.of(5, 50, C95), C95);
    assertEquals(0, r.value());
    assertEquals(0, r.interval().low());
    // ½ added to events and trials: exp(ln(0.5/5.5) + z·√(1/0.5 − 1/50.5 + 1/5.5 − 1/50.5))
    assertEquals(1.6012231101995227, r.interval().high(), EPS);
  }

  @Test
  void katz_overZero_isUndefined() {
    assertFalse(Proportion.of(3, 50, C95).over(Proportion.of(0, 50, C95), C95).isDefined());
  }

  @Test
  void notAProportion_fails() {
    var e = assertThrows(IllegalArgumentException.class, () -> Proportion.of(5, 4, C95));
    assertEquals("not a proportion: 5/4", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Proportion.of(0, 0, C95));
    assertThrows(IllegalArgumentException.class, () -> new Confidence(1.2));
  }
}
