package io.cleanroom.eval.fairness;

import io.cleanroom.eval.stats.Estimate;

/**
 * A disparity between the groups of one attribute, computed between the group with the lowest rate
 * ({@code lowGroup}) and the group with the highest ({@code highGroup}) among the groups whose rate
 * is reported. The interval is for that pair of groups and does not account for choosing it among
 * several. When the disparity cannot be computed, the estimate is undefined and {@code note} says
 * why.
 */
public record Disparity(
    String metric, Estimate estimate, String lowGroup, String highGroup, String note) {

  static Disparity undefined(String metric, String note) {
    return new Disparity(metric, Estimate.UNDEFINED, null, null, note);
  }
}
