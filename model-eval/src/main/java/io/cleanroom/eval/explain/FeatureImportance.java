package io.cleanroom.eval.explain;

/**
 * One feature's place in the model.
 *
 * @param weight the weight on the raw feature, w_j/std_j: the change in log-odds per unit of the
 *     feature (inside the clipping range)
 * @param standardisedWeight w_j: the change in log-odds per standard deviation of the feature
 * @param meanAbsContribution the mean over every bank's accounts of |w_j·z_j|, the feature's
 *     typical push on an account's log-odds away from the average account's
 */
public record FeatureImportance(
    String feature, double weight, double standardisedWeight, double meanAbsContribution) {}
