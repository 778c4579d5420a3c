package io.cleanroom.eval.explain;

import java.util.Comparator;
import java.util.List;

/**
 * The model's global explanation over every bank's accounts.
 *
 * @param accounts the number of accounts the mean contributions are over
 * @param intercept the log-odds of an account at the training means (standardised intercept)
 * @param features one entry per feature, in model order
 */
public record GlobalExplanation(long accounts, double intercept, List<FeatureImportance> features) {

  public GlobalExplanation {
    features = List.copyOf(features);
  }

  /** The features by decreasing mean absolute contribution. */
  public List<FeatureImportance> byImportance() {
    return features.stream()
        .sorted(Comparator.comparingDouble(FeatureImportance::meanAbsContribution).reversed())
        .toList();
  }
}
