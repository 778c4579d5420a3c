package io.cleanroom.eval.explain;

/**
 * One reason for an account's score: a feature that raised its log-odds.
 *
 * @param rank 1 for the largest contribution
 * @param value the account's raw feature value
 * @param contribution w_j·z_j, in log-odds
 * @param direction whether the value is above or below the training mean
 */
public record Reason(
    int rank,
    String feature,
    double value,
    double contribution,
    Direction direction,
    ReasonText text) {}
