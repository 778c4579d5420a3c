package io.cleanroom.eval.stats;

/**
 * A proportion events/trials from summed counts, with its Wilson score interval (Wilson 1927),
 * which stays inside [0, 1] and keeps its coverage for small counts and rates near 0 or 1.
 */
public record Proportion(long events, long trials, double value, Interval interval) {

  public Proportion {
    if (trials < 1 || events < 0 || events > trials) {
      throw new IllegalArgumentException("not a proportion: " + events + "/" + trials);
    }
  }

  /** events/trials with its Wilson interval at {@code confidence}. */
  public static Proportion of(long events, long trials, Confidence confidence) {
    double z = confidence.z();
    double n = trials;
    double p = events / n;
    double denominator = 1 + z * z / n;
    double centre = (p + z * z / (2 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator;
    return new Proportion(
        events, trials, p, new Interval(Math.max(0, centre - half), Math.min(1, centre + half)));
  }

  /**
   * This proportion minus {@code other}, with Newcombe's hybrid score interval (Newcombe 1998,
   * method 10), built from the two Wilson intervals; the proportions must be independent.
   */
  public Estimate minus(Proportion other) {
    double d = value - other.value;
    double low = d - Math.hypot(value - interval.low(), other.interval.high() - other.value);
    double high = d + Math.hypot(interval.high() - value, other.value - other.interval.low());
    return new Estimate(d, new Interval(low, high));
  }

  /**
   * This proportion over {@code other}, with Katz's log interval (Katz et al. 1978): exp(ln r ±
   * z·√(1/x1 − 1/n1 + 1/x2 − 1/n2)). When this proportion has no events, the ratio is 0, the
   * interval's lower end 0 and its upper end computed with ½ added to the events and trials of both
   * proportions. Undefined when {@code other} has no events.
   */
  public Estimate over(Proportion other, Confidence confidence) {
    if (other.events == 0) {
      return Estimate.UNDEFINED;
    }
    double ratio = value / other.value;
    double c = events == 0 ? 0.5 : 0;
    double x1 = events + c;
    double n1 = trials + c;
    double x2 = other.events + c;
    double n2 = other.trials + c;
    double se = Math.sqrt(Math.max(0, 1 / x1 - 1 / n1 + 1 / x2 - 1 / n2));
    double centre = Math.log((x1 / n1) / (x2 / n2));
    double z = confidence.z();
    double low = events == 0 ? 0 : Math.exp(centre - z * se);
    return new Estimate(ratio, new Interval(low, Math.exp(centre + z * se)));
  }
}
