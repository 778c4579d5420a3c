package io.cleanroom.eval.validation;

import io.cleanroom.eval.stats.Proportion;

/**
 * One decile of the accounts by score: the scores it spans, its mean score (each account counted at
 * its histogram bin's centre, so within half a bin width of the exact mean) and the observed share
 * of alert accounts with its Wilson interval.
 */
public record CalibrationBin(
    double lowScore, double highScore, long accounts, double meanScore, Proportion observed) {}
