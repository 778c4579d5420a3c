/**
 * Monitoring of the joint model between the training window and a later window: the population
 * stability index of the score and of every model input, from fine histograms that every bank fills
 * and the nodes sum on secret shares, and the drift of each protected group's alert rate, from the
 * fairness counts of the two windows.
 */
package io.cleanroom.eval.monitoring;
