package io.cleanroom.protocol.mpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SigmoidTest {

  @Test
  void plainApproximation_isWithinMaxErrorEverywhere() {
    double worst = 0;
    for (int i = -3_000_000; i <= 3_000_000; i++) {
      double x = i * 1e-5;
      worst = Math.max(worst, Math.abs(Arithmetic.sigmoidPlain(x) - 1 / (1 + Math.exp(-x))));
    }
    assertTrue(worst <= Arithmetic.SIGMOID_MAX_ERROR, "max error " + worst);
    // the documented bound is not loose either
    assertTrue(worst > Arithmetic.SIGMOID_MAX_ERROR - 1e-4, "max error " + worst);
  }

  @Test
  void plainApproximation_isClampedAndSymmetric() {
    assertEquals(0.0, Arithmetic.sigmoidPlain(-5.000001));
    assertEquals(0.0, Arithmetic.sigmoidPlain(-1e300));
    assertEquals(1.0, Arithmetic.sigmoidPlain(5.0));
    assertEquals(1.0, Arithmetic.sigmoidPlain(Double.POSITIVE_INFINITY));
    assertEquals(0.5, Arithmetic.sigmoidPlain(0.0));
    for (double x = 0; x < 5; x += 0.01) {
      assertEquals(1.0, Arithmetic.sigmoidPlain(x) + Arithmetic.sigmoidPlain(-x), 1e-15);
    }
  }

  @Test
  void plainApproximation_isMonotoneExceptNearTheClamp() {
    // the least-squares polynomial peaks at ±4.668 and dips by 0.008 towards ±5 (documented)
    double prev = 0;
    for (int i = -466_000; i <= 466_000; i++) {
      double s = Arithmetic.sigmoidPlain(i * 1e-5);
      assertTrue(s >= prev, "decreases at " + i * 1e-5);
      prev = s;
    }
  }

  @Test
  void clampedCubic_isMonotoneInRangeAndWithinItsErrorEverywhere() {
    double worst = 0;
    double previous = 0;
    for (int i = -4_000_000; i <= 4_000_000; i++) {
      double x = i * 1e-5;
      double s = Arithmetic.sigmoidClampedPlain(x);
      assertTrue(s >= previous && s >= 0 && s <= 1, "at " + x);
      previous = s;
      worst = Math.max(worst, Math.abs(s - 1 / (1 + Math.exp(-x))));
    }
    assertTrue(worst <= ClampedCubicSigmoid.MAX_ERROR, "max error " + worst);
    assertTrue(worst > ClampedCubicSigmoid.MAX_ERROR - 1e-4, "max error " + worst);
    assertEquals(1.0, Arithmetic.sigmoidClampedPlain(3.6));
    assertEquals(1.0, Arithmetic.sigmoidClampedPlain(1e300));
    assertEquals(0.0, Arithmetic.sigmoidClampedPlain(-3.6 - 1e-9));
    // the cubic meets the clamps: continuous at ±3.6
    assertEquals(1.0, Arithmetic.sigmoidClampedPlain(3.6 - 1e-9), 1e-9);
    assertEquals(0.0, Arithmetic.sigmoidClampedPlain(-3.6), 1e-12);
  }
}
