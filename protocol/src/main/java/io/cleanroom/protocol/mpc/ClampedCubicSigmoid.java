package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.PowerTuples;

/**
 * The logistic approximation for training, {@link Arithmetic#sigmoidClamped}: σ̂(u) = 0 for u &lt;
 * −B, 1 for u ≥ B, and p(u) = 1/2 + c1·u + c3·u³ in between, with B = 3.6, c3 = −0.0052512 and c1 =
 * (1/2 − c3·B³)/B = 0.206944, so that p(±B) is exactly 1 and 0. p′(u) = c1 + 3c3·u² ≥ c1 + 3c3·B² =
 * 0.0028 &gt; 0 on [−B, B], so σ̂ is continuous, monotone and in [0, 1] on the whole real line; its
 * largest error against σ is 0.0298 (at u ≈ ±3.31, and 0.0296 at ±1.09), found with c3 and B by a
 * grid search (B in steps of 0.05, c3 in 200 steps over its monotone range) minimising max |σ̂ − σ|
 * on a grid of 8·10^5 points over [−40, 40]. Unlike a bare polynomial (the cubic of Kim et al. 2018
 * that {@link CubicSigmoid} evaluates turns back beyond |u| = 5.6 and leaves [0, 1] beyond 11.07),
 * σ̂ never gives a confidently classified row an error that pushes its logit further out, and |σ̂ −
 * y| ≤ 1 holds for every row whatever the weights: this is the piecewise approach of Mohassel and
 * Zhang 2017 ("SecureML", §4.3), with the middle piece a cubic instead of a line.
 *
 * <p><b>Protocol</b> on x at scale 2^s:
 *
 * <ol>
 *   <li>Truncate to u at scale 2^10 (one round, n elements). Whatever x is, |u| &lt; 2^(74−s) (see
 *       {@link BitComparison}); u is floor(x/2^(s−10)) or one more when |x| &lt; 2^62.
 *   <li>One round opening D = u − a for a dealer power tuple (a, a², a³) and c = u + 2^(k−1) + r
 *       mod 2^k for an edaBit r, k = 76 − s (2n elements, both uniform).
 *   <li>p(u) from D as in {@link CubicSigmoid}, the sum truncated to 2^f (one round, n elements);
 *       for |u| ≥ B it is meaningless, and it is multiplied by 0 below.
 *   <li>hi = [u ≥ B] and ge = [u ≥ −B] by {@link BitComparison} from the one c: ⌈log2(k−1)⌉ rounds
 *       of AND openings over GF(2), then one round turning the bits into ring elements (for s = 40:
 *       6 + 1 rounds, 132 word ANDs and 2 words per 64 values, about 4.2 words per value).
 *   <li>σ̂ = (ge − hi)·p(u) + hi with one Beaver product (one round, 2n elements).
 * </ol>
 *
 * <p>A public gain g in (0, 1] scales the result to g·σ̂ at no cost (the cubic's coefficients and
 * the clamp's 1 are multiplied by g), so that a training step can fold a public step-size factor
 * in.
 *
 * <p>In all 11 rounds and about 10.2 elements per value to each other party (8 rounds and about 7.2
 * elements more than {@link CubicSigmoid}). What each party learns: the openings of steps 1, 2, 4
 * and 5, all uniform. The number of clamped values, Σ (1 − ge + hi), is available on shares for
 * free; only callers decide whether to open it.
 *
 * <p><b>Error</b> against {@link #plain} of the encoded input, with |u| &lt; B: p's evaluation is
 * {@link CubicSigmoid}'s (input truncation 2^−10 moves p by at most 0.207·2^−10 ≈ 2.0·10^−4, the
 * coefficients' encoding adds less than 2^−23·47 ≈ 5.6·10^−6, the sum's truncation 2^−f); the
 * comparisons are exact on u, against the encoded B = round(3.6·2^10)/2^10 = 3.5996, where p
 * differs from 1 by less than 2·10^−6. Within 2.1·10^−4 + 2^−f of {@link #plain}; hence within
 * 0.030 of σ.
 */
final class ClampedCubicSigmoid {
  private ClampedCubicSigmoid() {}

  /** Where σ̂ reaches 0 and 1. */
  static final double BOUND = 3.6;

  static final double C3 = -0.00525120027434844;
  static final double C1 = (0.5 - C3 * BOUND * BOUND * BOUND) / BOUND;

  /** max |plain(u) − σ(u)| over all reals, rounded up. */
  static final double MAX_ERROR = 0.0298;

  private static final long CLAMP = Math.round(Math.scalb(BOUND, CubicSigmoid.INPUT_BITS));

  static double plain(double u) {
    if (u >= BOUND) {
      return 1.0;
    }
    if (u < -BOUND) {
      return 0.0;
    }
    return 0.5 + C1 * u + C3 * u * u * u;
  }

  /** |u| &lt; 2^bound after the input truncation from scale 2^s, for any input. */
  private static int bound(int scale) {
    return 64 - (scale - CubicSigmoid.INPUT_BITS);
  }

  private static void check(int scale, int f) {
    if (scale < CubicSigmoid.INPUT_BITS + 4
        || scale > 62
        || f > CubicSigmoid.SUM_BITS - CubicSigmoid.INPUT_BITS) {
      throw new IllegalArgumentException(
          "clamped sigmoid needs an input scale of 2^14 to 2^62, got 2^" + scale);
    }
  }

  static void announce(CorrelatedRandomness r, String step, int n, int scale, int f) {
    check(scale, f);
    r.truncationMasks(step + "/input", n, scale - CubicSigmoid.INPUT_BITS);
    r.powers(step + "/powers", n);
    BitComparison.announce(r, step + "/cmp", n, bound(scale), 2);
    r.truncationMasks(step + "/sum", n, CubicSigmoid.SUM_BITS - f);
    r.triples(step + "/mux", n);
  }

  static long[] secure(
      Arithmetic arith, String step, long[] x, int scale, long[] clamped, double gain) {
    int f = arith.fixedPoint().fractionBits();
    check(scale, f);
    if (!(gain > 0 && gain <= 1)) {
      throw new IllegalArgumentException("sigmoid gain must be in (0, 1], got " + gain);
    }
    int n = x.length;
    long[] u = arith.truncate(step + "/input", x, scale - CubicSigmoid.INPUT_BITS);
    PowerTuples t = CubicSigmoid.powers(arith, step, n);
    BitComparison.Masked cmp =
        BitComparison.mask(arith, step + "/cmp", u, bound(scale), new long[] {CLAMP, -CLAMP});
    long[] opened =
        arith.open(step + "/open", Arithmetic.concat(CubicSigmoid.masked(t, u), cmp.shares()));
    long[] p =
        CubicSigmoid.polynomial(
            arith, step, t, Arithmetic.slice(opened, 0, n), gain / 2, gain * C1, gain * C3);
    long[][] bits = BitComparison.finish(arith, cmp, Arithmetic.slice(opened, n, 2 * n));
    long[] hi = bits[0];
    long[] inside = arith.sub(bits[1], hi);
    if (clamped != null) {
      long outside = arith.isLeader() ? n : 0;
      for (long v : inside) {
        outside -= v;
      }
      clamped[0] += outside;
    }
    long one = Math.round(Math.scalb(gain, f));
    return arith.add(arith.mul(step + "/mux", inside, p), arith.mulPublic(hi, one));
  }
}
