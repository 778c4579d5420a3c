package io.cleanroom.eval.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/** A two-sided confidence level, e.g. 0.95, and its standard normal quantile z. */
public record Confidence(double level) {

  public Confidence {
    if (!(level > 0.5 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0.5, 1), got " + level);
    }
  }

  /** Φ^−1(1 − (1 − level)/2): 1.959964 for 0.95. */
  public double z() {
    return new NormalDistribution().inverseCumulativeProbability(1 - (1 - level) / 2);
  }
}
