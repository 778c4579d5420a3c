package io.cleanroom.protocol.ring;

/** Element-wise vector operations in Z_2^64. Overflow wraps, which is the ring's reduction. */
public final class Ring64 {
  private Ring64() {}

  /** a + b, as a new vector. */
  public static long[] add(long[] a, long[] b) {
    requireSameLength(a, b);
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] + b[i];
    }
    return out;
  }

  /** acc += b, in place; returns acc. */
  public static long[] addInPlace(long[] acc, long[] b) {
    requireSameLength(acc, b);
    for (int i = 0; i < acc.length; i++) {
      acc[i] += b[i];
    }
    return acc;
  }

  /** a − b, as a new vector. */
  public static long[] sub(long[] a, long[] b) {
    requireSameLength(a, b);
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  /** acc −= b, in place; returns acc. */
  public static long[] subInPlace(long[] acc, long[] b) {
    requireSameLength(acc, b);
    for (int i = 0; i < acc.length; i++) {
      acc[i] -= b[i];
    }
    return acc;
  }

  private static void requireSameLength(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of different lengths: " + a.length + " and " + b.length);
    }
  }
}
