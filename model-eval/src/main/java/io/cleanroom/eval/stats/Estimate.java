package io.cleanroom.eval.stats;

/** A point estimate with its confidence interval; NaN when not computable. */
public record Estimate(double value, Interval interval) {

  public static final Estimate UNDEFINED = new Estimate(Double.NaN, Interval.UNDEFINED);

  public boolean isDefined() {
    return !Double.isNaN(value);
  }
}
