package io.cleanroom.protocol.mpc;

/** Goodness-of-fit statistics for tests that a party's view is uniform. */
final class ChiSquare {
  private ChiSquare() {}

  /** Pearson's statistic of the low bytes against the uniform distribution (255 d.o.f.). */
  static double uniformLowByte(long[] values) {
    long[] counts = lowByteCounts(values);
    double expected = values.length / 256.0;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  /**
   * The two-sample statistic Σ (a_i − b_i)^2 / (a_i + b_i) comparing the low-byte histograms of two
   * samples of equal size (255 d.o.f. if they come from the same distribution).
   */
  static double sameLowByteDistribution(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "samples of different sizes: " + a.length + ", " + b.length);
    }
    long[] ca = lowByteCounts(a);
    long[] cb = lowByteCounts(b);
    double chi = 0;
    for (int i = 0; i < 256; i++) {
      if (ca[i] + cb[i] > 0) {
        chi += (double) (ca[i] - cb[i]) * (ca[i] - cb[i]) / (ca[i] + cb[i]);
      }
    }
    return chi;
  }

  /** How many standard deviations the count of set bits at {@code bit} is from half. */
  static double bitZScore(long[] values, int bit) {
    long ones = 0;
    for (long v : values) {
      ones += (v >>> bit) & 1;
    }
    return (ones - values.length / 2.0) / Math.sqrt(values.length / 4.0);
  }

  private static long[] lowByteCounts(long[] values) {
    long[] counts = new long[256];
    for (long v : values) {
      counts[(int) (v & 0xff)]++;
    }
    return counts;
  }
}
