package io.cleanroom.testbed.generate;

import java.util.SplittableRandom;

/**
 * Random draws beyond what {@link SplittableRandom} offers. StrictMath is used throughout because
 * Math may give different last bits on different CPUs, and a seed must name the same bytes
 * everywhere.
 */
final class Draw {
  private static final double UNIT = 0x1.0p-53;

  private Draw() {}

  /** SplitMix64's finaliser: spreads nearby inputs (person 7, person 8) over unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * A hash of {@code (seed, salt, key)}: a fixed random value per key, for choices that must come
   * out the same whenever they are asked for (a customer's favourite shop, a row's phone format).
   */
  static long hash(long seed, long salt, long key) {
    return mix(seed ^ mix(salt * 0x9e3779b97f4a7c15L + key));
  }

  /** A double in [0, 1) from the top 53 bits of {@code bits}. */
  static double unit(long bits) {
    return (bits >>> 11) * UNIT;
  }

  /** A standard normal value (Box-Muller). */
  static double gaussian(SplittableRandom rng) {
    double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
    double u2 = rng.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /** A log-normal amount in whole TWD with the given median, clamped to {@code [min, max]}. */
  static long logNormalTwd(
      SplittableRandom rng, double medianTwd, double sigma, long minTwd, long maxTwd) {
    long twd = Math.round(medianTwd * StrictMath.exp(sigma * gaussian(rng)));
    return Math.max(minTwd, Math.min(maxTwd, twd));
  }

  /** {@code twd} rounded to the nearest multiple of {@code step}, and at least {@code step}. */
  static long round(long twd, long step) {
    return Math.max(step, (twd + step / 2) / step * step);
  }

  /** {@code x} rounded down or up at random, up with probability equal to its fraction. */
  static int stochasticRound(double x, SplittableRandom rng) {
    int floor = (int) x;
    return floor + (rng.nextDouble() < x - floor ? 1 : 0);
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
