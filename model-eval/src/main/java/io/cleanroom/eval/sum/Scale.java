package io.cleanroom.eval.sum;

/**
 * Fixed-point encoding of real values in summable vectors: v is sent as round(v·2^16).
 *
 * <p>Each bank encodes every row's value separately and adds the integers, so a total over n rows
 * is off from the exact sum by at most n·2^−17, and the sum over banks equals the sum a single
 * party would compute on the pooled rows, bit for bit. Totals must stay below 2^47 in absolute
 * value (about 1.4·10^14), which the evaluators guarantee by summing only bounded quantities
 * (standardised, clipped features and their products).
 */
public final class Scale {
  private Scale() {}

  /** Fractional bits of the encoding. */
  public static final int BITS = 16;

  /** round(v·2^16). */
  public static long encode(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("cannot encode " + v);
    }
    return Math.round(Math.scalb(v, BITS));
  }

  /** v·2^−16. */
  public static double decode(long v) {
    return Math.scalb((double) v, -BITS);
  }
}
