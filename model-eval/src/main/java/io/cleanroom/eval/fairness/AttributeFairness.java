package io.cleanroom.eval.fairness;

import java.util.List;

/**
 * The fairness of the alerts across one attribute's groups.
 *
 * <ul>
 *   <li>{@code demographic_parity_difference}: highest minus lowest alert rate, Newcombe interval;
 *   <li>{@code disparate_impact}: lowest over highest alert rate (four-fifths rule), Katz interval;
 *   <li>{@code fpr_ratio}: lowest over highest FPR, the share of legitimate customers wrongly
 *       flagged, Katz interval;
 *   <li>{@code fdr_ratio}: lowest over highest FDR, the share of alerts that are wrong, Katz
 *       interval;
 *   <li>{@code equalized_odds_difference}: the larger of the TPR and FPR differences (highest minus
 *       lowest), with interval [max of lower ends, max of upper ends], which covers the maximum
 *       whenever both Newcombe intervals cover their differences.
 * </ul>
 */
public record AttributeFairness(
    String attribute,
    List<GroupMetrics> groups,
    Disparity demographicParityDifference,
    Disparity disparateImpact,
    Disparity fprRatio,
    Disparity fdrRatio,
    Disparity equalizedOddsDifference) {

  public AttributeFairness {
    groups = List.copyOf(groups);
  }

  /** The five disparities in the order listed above. */
  public List<Disparity> disparities() {
    return List.of(
        demographicParityDifference, disparateImpact, fprRatio, fdrRatio, equalizedOddsDifference);
  }
}
