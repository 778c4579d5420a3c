package io.cleanroom.eval.monitoring;

/**
 * One PSI bin [low, high) with the share of the training window ({@code expected}) and of the later
 * window ({@code actual}) in it.
 */
public record PsiBin(double low, double high, double expected, double actual) {}
