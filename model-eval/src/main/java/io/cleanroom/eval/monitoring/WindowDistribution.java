package io.cleanroom.eval.monitoring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One window's distributions over every bank's accounts: for each variable (the score, then each
 * model input), counts in equal-width bins over a fixed range ([0, 1] for the score, [−winsorize,
 * winsorize] for a standardised input).
 */
public final class WindowDistribution {

  /** A variable's range and bin counts. */
  public record Histogram(double low, double high, long[] counts) {

    public Histogram {
      counts = counts.clone();
    }

    /** The left edge of bin {@code b} (b = counts.length gives the right end). */
    public double edge(int b) {
      return low + (high - low) * b / counts.length;
    }

    public long total() {
      long t = 0;
      for (long c : counts) {
        t += c;
      }
      return t;
    }
  }

  private final Map<String, Histogram> histograms;

  WindowDistribution(Map<String, Histogram> histograms) {
    this.histograms = new LinkedHashMap<>(histograms);
  }

  /** The variables in order: {@code score}, then the model's features. */
  public List<String> variables() {
    return List.copyOf(histograms.keySet());
  }

  public Histogram histogram(String variable) {
    Histogram h = histograms.get(variable);
    if (h == null) {
      throw new IllegalArgumentException("no variable " + variable);
    }
    return h;
  }
}
