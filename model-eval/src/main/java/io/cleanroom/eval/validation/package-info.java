/**
 * Validation of the joint model's scores (article 7): AUC, average precision, recall at a fixed
 * alert budget and calibration by decile, all from score histograms per label that every bank fills
 * with its own accounts and the nodes sum on secret shares. Binning errors are bounded and reported
 * with the metrics.
 */
package io.cleanroom.eval.validation;
