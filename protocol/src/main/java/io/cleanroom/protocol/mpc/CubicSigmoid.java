package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.PowerTuples;

/**
 * The comparison-free logistic approximation for training, {@link Arithmetic#sigmoidCubic}: σ(u) ≈
 * 1/2 + c1·u + c3·u³, the least-squares cubic on [−8, 8] (c1 = 0.15012, c3 = −0.0015930, as in Kim
 * et al. 2018, "Logistic regression model training based on the approximate homomorphic
 * encryption"). Within 0.115 of σ on [−8, 8]; unbounded outside it (it turns back beyond |u| = 5.6
 * and leaves [0, 1] beyond 11.07), which is why training uses {@link ClampedCubicSigmoid} instead.
 * {@link Sigmoid}'s clamped degree-7 version is accurate everywhere but needs a comparison (470
 * elements per value); this one costs 3 elements per value.
 *
 * <p><b>Protocol.</b> (1) Truncate the input from its scale 2^s to 2^10 (one round, n elements).
 * (2) With a dealer power tuple (a, a², a³), open D = u − a (one round, n elements, uniform) and
 * compute u² = D² + 2D·a + a² and u³ = D³ + 3D²·a + 3D·a² + a³ locally (the public powers of D at
 * party 0 only): exact ring arithmetic. (3) Sum C0 + C1·u + C3·u³ at scale 2^52 with the
 * coefficients encoded at 2^42 and 2^22 and truncate to 2^f (one round, n elements). In all: 3
 * rounds, 3n elements.
 *
 * <p><b>Error</b> against the plaintext cubic, for |u| ≤ 8: the input truncation errs by at most
 * 2^−10, moving the cubic by at most 0.151·2^−10 ≈ 1.5·10^−4; encoding c3 adds at most 2^−23·512 ≈
 * 6.1·10^−5, c1 less than 10^−11, and the final truncation 2^−f. Hence within 2.2·10^−4 + 2^−f.
 * Requires |u| &lt; 86.7, so that the sum (2^52·|c3|·u³ dominating) stays below 2^62; beyond it the
 * result is meaningless. Training no longer uses it: {@link ClampedCubicSigmoid} evaluates its own
 * cubic with the steps here, on a clamped range.
 */
final class CubicSigmoid {
  private CubicSigmoid() {}

  static final double C1 = 0.1501198773790876;
  static final double C3 = -0.0015929978694672515;

  /** Fraction bits of the input to the powers. */
  static final int INPUT_BITS = 10;

  /** Fraction bits of the polynomial's sum. */
  static final int SUM_BITS = 52;

  static double plain(double u) {
    return 0.5 + C1 * u + C3 * u * u * u;
  }

  static long[] secure(Arithmetic arith, String step, long[] x, int scale) {
    int f = arith.fixedPoint().fractionBits();
    if (scale <= INPUT_BITS || f > SUM_BITS - INPUT_BITS) {
      throw new IllegalArgumentException(
          "cubic sigmoid needs an input scale above 2^" + INPUT_BITS + ", got 2^" + scale);
    }
    long[] u = arith.truncate(step + "/input", x, scale - INPUT_BITS);
    PowerTuples t = powers(arith, step, u.length);
    long[] d = arith.open(step + "/powers", masked(t, u));
    return polynomial(arith, step, t, d, 0.5, C1, C3);
  }

  /** The power tuples (a, a², a³) of step {@code step + "/powers"}, checked for length. */
  static PowerTuples powers(Arithmetic arith, String step, int n) {
    PowerTuples t = arith.dealer().powers(step + "/powers", n);
    Arithmetic.requireDealt(t.a(), n, "power tuples", step);
    Arithmetic.requireDealt(t.a2(), n, "power tuples", step);
    Arithmetic.requireDealt(t.a3(), n, "power tuples", step);
    return t;
  }

  /** This party's shares of D = u − a, uniform once opened (one round, n elements). */
  static long[] masked(PowerTuples t, long[] u) {
    long[] masked = new long[u.length];
    for (int i = 0; i < u.length; i++) {
      masked[i] = u[i] - t.a()[i];
    }
    return masked;
  }

  /**
   * Shares of k0 + k1·u + k3·u³ at scale 2^f for u at scale 2^{@link #INPUT_BITS}, from the opened
   * D = u − a: u³ = D³ + 3D²·a + 3D·a² + a³ exactly in the ring (the public D³ at party 0 only),
   * the sum at scale 2^{@link #SUM_BITS}, truncated to 2^f (step {@code step + "/sum"}, one round,
   * n elements). The result is meaningful only while the exact sum stays below 2^62.
   */
  static long[] polynomial(
      Arithmetic arith, String step, PowerTuples t, long[] d, double k0, double k1, double k3) {
    int n = d.length;
    int f = arith.fixedPoint().fractionBits();
    boolean leader = arith.isLeader();
    long c0 = Math.round(Math.scalb(k0, SUM_BITS));
    long c1 = Math.round(Math.scalb(k1, SUM_BITS - INPUT_BITS));
    long c3 = Math.round(Math.scalb(k3, SUM_BITS - 3 * INPUT_BITS));
    long[] sum = new long[n];
    for (int i = 0; i < n; i++) {
      long di = d[i];
      long cube = 3 * di * di * t.a()[i] + 3 * di * t.a2()[i] + t.a3()[i];
      long lin = t.a()[i];
      long s = c1 * lin + c3 * cube;
      if (leader) {
        s += c0 + c1 * di + c3 * (di * di * di);
      }
      sum[i] = s;
    }
    return arith.truncate(step + "/sum", sum, SUM_BITS - f);
  }
}
