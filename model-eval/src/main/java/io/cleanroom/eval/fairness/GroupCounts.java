package io.cleanroom.eval.fairness;

/**
 * One group's confusion counts summed over banks: accounts, alerts (score at or above the alert
 * threshold), positives (labelled alert accounts) and true positives (both).
 */
public record GroupCounts(long n, long alerts, long positives, long truePositives) {

  public GroupCounts {
    if (n < 0
        || alerts < 0
        || positives < 0
        || truePositives < 0
        || alerts > n
        || positives > n
        || truePositives > Math.min(alerts, positives)
        || alerts - truePositives > n - positives) {
      throw new IllegalArgumentException(
          "inconsistent counts: n "
              + n
              + ", alerts "
              + alerts
              + ", positives "
              + positives
              + ", true positives "
              + truePositives);
    }
  }

  public long falsePositives() {
    return alerts - truePositives;
  }

  public long negatives() {
    return n - positives;
  }
}
