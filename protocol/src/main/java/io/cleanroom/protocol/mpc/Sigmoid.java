package io.cleanroom.protocol.mpc;

import java.util.Arrays;

/**
 * The logistic-function approximation of {@link Arithmetic#sigmoid}: a least-squares polynomial on
 * [−B, B], B = 5, clamped to 0 below −B and to 1 from B on (the clamped polynomial in the spirit of
 * Mohassel and Zhang 2017, "SecureML", whose piecewise activation avoids the divergence of a bare
 * polynomial outside its fitting interval).
 *
 * <p><b>Approximation.</b> p(x) = 1/2 + c1·x + c3·x^3 + c5·x^5 + c7·x^7 minimises ∫ (p − σ)^2 over
 * [−5, 5] among odd-plus-1/2 polynomials of degree 7 (σ − 1/2 is odd). Coefficients were computed
 * offline with numpy: {@code numpy.linalg.lstsq} on the powers x, x^3, x^5, x^7 at the 400 nodes of
 * Gauss–Legendre quadrature scaled to [−5, 5], rows weighted by the square roots of the quadrature
 * weights. On a grid of 4·10^6 points over [−20, 20] the clamped function differs from σ by at most
 * 0.007551 (at x → −5 from above, and symmetrically at 5); in the clamped tails the error is at
 * most σ(−5) = 0.00669. Like any least-squares fit, p is not monotone near the ends of its
 * interval: it peaks at ±4.668 (0.99349) and falls to 0.98576 at 5 before the clamp jumps to 1; the
 * dip stays within the stated error and does not matter for gradient-based training, which only
 * uses σ's values. Degree 7 costs the same number of rounds as degree 5 (x^5 and x^7 come from one
 * batched multiplication) at less than half its error (0.0218 at the best B for degree 5).
 *
 * <p><b>Secure evaluation.</b> (1) One {@link Comparison} over the 2n-vector (x + B, x − B) gives
 * l1 = [x &lt; −B] and l2 = [x &lt; B] (7 rounds, 470n elements). (2) Powers in fixed point: x^2;
 * then x^3 = x·x^2 and x^4 = x^2·x^2 in one batch; then x^5 = x·x^4 and x^7 = x^3·x^4 in one batch
 * (6 rounds, 15n elements). (3) The coefficients are encoded with G = 58 − f fractional bits, so
 * that Σ |c_k|·5^k + 1/2 ≈ 6.28 &lt; 2^3 keeps the sum Σ C_k·X^k at scale 2^(f+G) = 2^58 below
 * 2^61; one truncation by G brings it back to f bits (1 round, n elements). (4) result = (l2 − l1)·
 * p + (1 − l2), the first term a ring product of a 0/1 bit with a fixed-point value, exact (1
 * round, 2n elements). Outside [−B, B] the powers overflow and their truncations are meaningless,
 * but they are multiplied by the exact bit 0. In all: 15 rounds, 488n elements.
 *
 * <p><b>Fixed-point error</b> (ε = 2^−f, inputs taken as their encodings, |x| ≤ 5): each truncation
 * errs by less than ε, so |err(x^2)| &lt; ε, |err(x^3)| &lt; 6ε, |err(x^4)| &lt; 52ε, |err(x^5)|
 * &lt; 261ε, |err(x^7)| &lt; 10 252ε; weighted by |c_k| these add up to less than 0.36ε. Encoding
 * the coefficients adds Σ 5^k·2^−(G+1) = 81 380·2^(f−59), i.e. 0.16ε at f = 20 and 2.5ε at f = 22,
 * and the final truncation less than ε. Hence the secure result is within 4ε of {@link #plain} for
 * f ≤ 22 (about 1.5ε at f = 20). The comparisons against ±B are exact on the encoded input, and
 * {@link #plain} uses the same half-open intervals.
 */
final class Sigmoid {

  static final double BOUND = 5.0;

  /** max |plain(x) − σ(x)| over all reals, rounded up. */
  static final double MAX_ERROR = 0.0076;

  /** The largest fraction-bit count for which x^7 on [−5, 5] fits the ring at 2f bits. */
  static final int MAX_FRACTION_BITS = 22;

  /** c1, c3, c5, c7: see the class comment for how they were computed. */
  private static final double[] COEFFICIENTS = {
    0.24217505150498633, -0.014884613732492849, 0.0006153004782724746, -1.0078157081991682e-05,
  };

  private Sigmoid() {}

  static double plain(double x) {
    if (x < -BOUND) {
      return 0.0;
    }
    if (x >= BOUND) {
      return 1.0;
    }
    double x2 = x * x;
    double c1 = COEFFICIENTS[0];
    double c3 = COEFFICIENTS[1];
    double c5 = COEFFICIENTS[2];
    double c7 = COEFFICIENTS[3];
    return 0.5 + x * (c1 + x2 * (c3 + x2 * (c5 + x2 * c7)));
  }

  static long[] secure(Arithmetic arith, String step, long[] x) {
    FixedPoint fp = arith.fixedPoint();
    int f = fp.fractionBits();
    if (f > MAX_FRACTION_BITS) {
      throw new IllegalArgumentException(
          "sigmoid needs at most " + MAX_FRACTION_BITS + " fraction bits, got " + f);
    }
    int n = x.length;
    long bound = fp.encode(BOUND);
    long[] lt =
        arith.lessThanZero(
            step + "/clamp",
            Arithmetic.concat(arith.addPublic(x, bound), arith.addPublic(x, -bound)));
    long[] below = Arithmetic.slice(lt, 0, n);
    long[] inside = arith.sub(Arithmetic.slice(lt, n, 2 * n), below);
    long[] notAbove = Arithmetic.slice(lt, n, 2 * n);

    long[] x2 = arith.squareFixed(step + "/x2", x);
    long[] x34 = arith.mulFixed(step + "/x34", Arithmetic.concat(x, x2), Arithmetic.concat(x2, x2));
    long[] x3 = Arithmetic.slice(x34, 0, n);
    long[] x4 = Arithmetic.slice(x34, n, 2 * n);
    long[] x57 = arith.mulFixed(step + "/x57", Arithmetic.concat(x, x3), Arithmetic.concat(x4, x4));
    long[][] powers = {x, x3, Arithmetic.slice(x57, 0, n), Arithmetic.slice(x57, n, 2 * n)};

    int g = 58 - f;
    long[] poly = arith.fromPublic(filled(n, 1L << (f + g - 1)));
    for (int k = 0; k < COEFFICIENTS.length; k++) {
      long ck = Math.round(Math.scalb(COEFFICIENTS[k], g));
      for (int i = 0; i < n; i++) {
        poly[i] += ck * powers[k][i];
      }
    }
    long[] p = arith.truncate(step + "/poly", poly, g);

    long[] out = arith.mul(step + "/select", inside, p);
    long one = 1L << f;
    for (int i = 0; i < n; i++) {
      out[i] -= one * notAbove[i];
    }
    return arith.addPublic(out, one);
  }

  private static long[] filled(int n, long v) {
    long[] out = new long[n];
    Arrays.fill(out, v);
    return out;
  }
}
