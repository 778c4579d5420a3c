package io.cleanroom.protocol.mpc;

/**
 * Fixed-point encoding of reals in Z_2^64: x is held as the two's-complement integer round(x ·
 * 2^f), f fractional bits (default 20).
 *
 * <p><b>Range and error.</b> An encoded value must satisfy |x| &lt; 2^(62−f) (with f = 20: about
 * 4.4·10^12) so that it stays inside the range secure truncation supports; encoding rounds to the
 * nearest multiple of 2^−f, an error of at most 2^−(f+1) (4.8·10^−7 for f = 20). A product of two
 * encoded values carries 2f fractional bits before truncation, so |x·y| must stay below 2^(62−2f)
 * (about 4.2·10^6 for f = 20); each truncation returns ⌊v/2^f⌋ or ⌊v/2^f⌋ + 1, an error below 2^−f
 * that is unbiased (it rounds up with probability equal to the discarded fraction).
 */
public final class FixedPoint {

  /** The default number of fractional bits. */
  public static final int DEFAULT_FRACTION_BITS = 20;

  private final int fractionBits;
  private final double scale;
  private final double limit;

  public FixedPoint(int fractionBits) {
    if (fractionBits < 1 || fractionBits > 30) {
      throw new IllegalArgumentException("fraction bits must be 1..30, got " + fractionBits);
    }
    this.fractionBits = fractionBits;
    this.scale = Math.scalb(1.0, fractionBits);
    this.limit = Math.scalb(1.0, 62 - fractionBits);
  }

  public int fractionBits() {
    return fractionBits;
  }

  /** The largest magnitude (exclusive) of an encodable value. */
  public double limit() {
    return limit;
  }

  /** round(x · 2^f); throws if x is not finite or out of range. */
  public long encode(double x) {
    if (!(Math.abs(x) < limit)) {
      throw new IllegalArgumentException(
          "value " + x + " is outside the fixed-point range ±2^" + (62 - fractionBits));
    }
    return Math.round(x * scale);
  }

  public long[] encode(double[] xs) {
    long[] out = new long[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = encode(xs[i]);
    }
    return out;
  }

  /** The real an element represents, with 2^−f resolution. */
  public double decode(long v) {
    return v / scale;
  }

  public double[] decode(long[] vs) {
    double[] out = new double[vs.length];
    for (int i = 0; i < vs.length; i++) {
      out[i] = decode(vs[i]);
    }
    return out;
  }
}
