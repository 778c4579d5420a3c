package io.cleanroom.testbed.generate;

import java.util.SplittableRandom;

/**
 * Draws an index with probability proportional to its weight in constant time (Walker's alias
 * method, in Vose's numerically stable form). Used where millions of draws are made from
 * distributions over up to millions of items: which account pays next, which shop it pays.
 */
final class AliasTable {
  private final double[] keep;
  private final int[] alias;

  /**
   * @param weights non-negative, with a positive sum
   */
  AliasTable(double[] weights) {
    int n = weights.length;
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0)) {
        throw new IllegalArgumentException("weights must be non-negative, got " + w);
      }
      sum += w;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("weights must have a positive sum");
    }
    keep = new double[n];
    alias = new int[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smalls = 0;
    int larges = 0;
    for (int i = 0; i < n; i++) {
      keep[i] = weights[i] * n / sum;
      if (keep[i] < 1) {
        small[smalls++] = i;
      } else {
        large[larges++] = i;
      }
    }
    while (smalls > 0 && larges > 0) {
      int s = small[--smalls];
      int l = large[--larges];
      alias[s] = l;
      keep[l] -= 1 - keep[s];
      if (keep[l] < 1) {
        small[smalls++] = l;
      } else {
        large[larges++] = l;
      }
    }
    // What is left is 1 up to rounding error; it keeps its own column.
    while (larges > 0) {
      keep[large[--larges]] = 1;
    }
    while (smalls > 0) {
      keep[small[--smalls]] = 1;
    }
  }

  int sample(SplittableRandom rng) {
    int column = rng.nextInt(keep.length);
    return rng.nextDouble() < keep[column] ? column : alias[column];
  }

  /** A draw decided by the bits of a hash rather than by a generator. */
  int sample(long bits) {
    int column = (int) (((bits >>> 32) * keep.length) >>> 32);
    return ((bits & 0xffffffffL) * 0x1.0p-32) < keep[column] ? column : alias[column];
  }
}
