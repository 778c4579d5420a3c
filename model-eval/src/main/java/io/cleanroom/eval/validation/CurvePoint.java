package io.cleanroom.eval.validation;

/**
 * A point of a ROC curve (x = FPR, y = TPR) or a precision-recall curve (x = recall, y =
 * precision).
 */
public record CurvePoint(double x, double y) {}
