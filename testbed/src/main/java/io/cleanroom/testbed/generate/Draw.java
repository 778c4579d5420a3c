package io.cleanroom.testbed.generate;

import java.util.SplittableRandom;

/**
 * Random draws beyond what {@link SplittableRandom} offers. StrictMath is used throughout because
 * Math may give different last bits on different CPUs, and a seed must name the same bytes
 * everywhere.
 */
final class Draw {
  private Draw() {}

  /** SplitMix64's finaliser: spreads nearby inputs (person 7, person 8) over unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** A standard normal value (Box-Muller). */
  static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** A log-normal amount in cents with the given median, clamped to {@code [min, max]}. */
  static long logNormalCents(
      SplittableRandom rng, double medianTwd, double sigma, long minCents, long maxCents) {
    double twd = medianTwd * StrictMath.exp(sigma * gaussian(rng));
    long cents = Math.round(twd * 100.0);
    return Math.max(minCents, Math.min(maxCents, cents));
  }

  /** An index drawn with probability proportional to {@code weights[i]}. */
  static int weighted(SplittableRandom rng, int[] weights, int totalWeight) {
    int x = rng.nextInt(totalWeight);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("totalWeight exceeds the sum of weights");
  }
}
