package io.cleanroom.eval.fairness;

/**
 * Pearson's correlation r between one model input and the indicator of one protected group (1 for
 * members, 0 otherwise); NaN when either is constant.
 */
public record Correlation(String feature, String attribute, String group, double r) {}
