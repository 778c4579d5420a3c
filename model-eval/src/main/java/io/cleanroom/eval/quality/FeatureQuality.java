package io.cleanroom.eval.quality;

/**
 * One feature's quality at one bank: values missing (NaN) and values outside its range (including
 * infinities).
 */
public record FeatureQuality(String feature, FeatureRange range, long missing, long outOfRange) {}
