package io.cleanroom.eval.monitoring;

import java.util.List;

/**
 * The population stability index of one variable: Σ (actual − expected)·ln(actual/expected) over
 * bins at the training window's deciles. Read as stable below 0.10, watch from 0.10 to 0.25, act
 * above 0.25 (the thresholds are the governance policy's).
 */
public record VariableStability(String variable, double psi, List<PsiBin> bins) {

  public VariableStability {
    bins = List.copyOf(bins);
  }
}
