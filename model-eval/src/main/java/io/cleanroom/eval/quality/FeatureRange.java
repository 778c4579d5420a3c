package io.cleanroom.eval.quality;

/**
 * The plausible values of a feature, [min, max]. A value counts as inside when it is within {@value
 * #TOLERANCE} of the range, which absorbs the fixed-point noise of values computed on secret shares
 * (such as {@code linked_risk}).
 */
public record FeatureRange(double min, double max) {

  public static final double TOLERANCE = 1e-4;

  /** Any finite value. */
  public static final FeatureRange FINITE =
      new FeatureRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

  public FeatureRange {
    if (!(min <= max)) {
      throw new IllegalArgumentException("range [" + min + ", " + max + "] is empty");
    }
  }

  /** Whether a value that is not NaN is finite and inside the range. */
  public boolean contains(double v) {
    return Double.isFinite(v) && v >= min - TOLERANCE && v <= max + TOLERANCE;
  }
}
