package io.cleanroom.eval.validation;

/**
 * Counts of accounts per equal-width score bin over [0, 1], separately for accounts labelled normal
 * and alert, for the report's score distribution chart.
 */
public record ScoreDistribution(long[] normal, long[] alert) {

  public ScoreDistribution {
    if (normal.length != alert.length || normal.length == 0) {
      throw new IllegalArgumentException("distribution needs equal, non-empty bins");
    }
    normal = normal.clone();
    alert = alert.clone();
  }

  public int bins() {
    return normal.length;
  }
}
