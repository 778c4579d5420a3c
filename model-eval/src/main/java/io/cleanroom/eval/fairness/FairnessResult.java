package io.cleanroom.eval.fairness;

import java.util.List;

/**
 * Group fairness of the alerts over every bank's rows, from the summed counts of {@link
 * FairnessStatistic}.
 *
 * @param alertThreshold an account is flagged when its score is at least this
 * @param cellFloor groups with fewer accounts are suppressed, rates with smaller denominators are
 *     not reported
 * @param confidenceLevel the level of every interval
 */
public record FairnessResult(
    double alertThreshold,
    int cellFloor,
    double confidenceLevel,
    List<AttributeFairness> attributes) {

  public FairnessResult {
    attributes = List.copyOf(attributes);
  }

  public AttributeFairness attribute(String name) {
    for (AttributeFairness a : attributes) {
      if (a.attribute().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no attribute " + name);
  }
}
