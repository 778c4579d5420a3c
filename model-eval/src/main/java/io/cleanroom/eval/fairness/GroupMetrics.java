package io.cleanroom.eval.fairness;

import io.cleanroom.eval.stats.Proportion;

/**
 * One group's rates with Wilson intervals: alert rate (alerts/n), TPR (true positives/positives),
 * FPR (false positives/negatives) and FDR (false positives/alerts). A group with fewer accounts
 * than the cell-size floor is suppressed: no counts and no rates. A rate whose denominator is below
 * the floor is null.
 */
public record GroupMetrics(
    String group,
    GroupCounts counts,
    Proportion alertRate,
    Proportion tpr,
    Proportion fpr,
    Proportion fdr) {

  /** A group below the cell-size floor. */
  static GroupMetrics suppressed(String group) {
    return new GroupMetrics(group, null, null, null, null, null);
  }

  public boolean suppressed() {
    return counts == null;
  }
}
