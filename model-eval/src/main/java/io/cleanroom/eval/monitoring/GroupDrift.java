package io.cleanroom.eval.monitoring;

import io.cleanroom.eval.stats.Estimate;
import io.cleanroom.eval.stats.Proportion;

/**
 * How one protected group's alert rate moved between the training window and a later window.
 *
 * @param ratio later rate over training rate, with Katz's interval
 * @param change the larger of the ratio and its inverse (≥ 1; infinite when one rate is 0 and the
 *     other is not, 1 when both are 0), the factor the policy bounds
 */
public record GroupDrift(
    String attribute,
    String group,
    Proportion training,
    Proportion later,
    Estimate ratio,
    double change) {}
