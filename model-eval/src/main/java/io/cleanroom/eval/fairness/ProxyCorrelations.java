package io.cleanroom.eval.fairness;

import java.util.List;

/**
 * The proxy check of article 6: how strongly each model input tracks membership of each protected
 * group, from {@link ProxyStatistic}'s totals. A feature that correlates strongly with a group can
 * stand in for the protected attribute even though the attribute itself is not a feature.
 */
public record ProxyCorrelations(List<Correlation> correlations) {

  public ProxyCorrelations {
    correlations = List.copyOf(correlations);
  }

  /** The correlation with the largest |r|, or null when none is defined. */
  public Correlation strongest() {
    Correlation best = null;
    for (Correlation c : correlations) {
      if (!Double.isNaN(c.r()) && (best == null || Math.abs(c.r()) > Math.abs(best.r()))) {
        best = c;
      }
    }
    return best;
  }
}
