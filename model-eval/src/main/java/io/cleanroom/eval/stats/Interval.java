package io.cleanroom.eval.stats;

/** A closed confidence interval [low, high]; both ends NaN when the estimate is undefined. */
public record Interval(double low, double high) {

  public static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

  public Interval {
    if (low > high) {
      throw new IllegalArgumentException("interval [" + low + ", " + high + "] is reversed");
    }
  }

  public boolean isDefined() {
    return !Double.isNaN(low) && !Double.isNaN(high);
  }
}
