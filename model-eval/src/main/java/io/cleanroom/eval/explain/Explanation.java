package io.cleanroom.eval.explain;

import java.util.List;

/**
 * Why the model scored one account as it did.
 *
 * @param logit the account's log-odds: intercept + Σ contributions
 * @param score σ(logit)
 * @param contributions w_j·z_j per feature, in model order
 * @param reasons the features with the largest positive contributions, largest first
 */
public record Explanation(
    double logit, double score, double[] contributions, List<Reason> reasons) {

  public Explanation {
    contributions = contributions.clone();
    reasons = List.copyOf(reasons);
  }
}
