package io.cleanroom.eval.monitoring;

import java.util.List;

/** The PSI of the score and of every model input between the training and a later window. */
public record StabilityReport(List<VariableStability> variables) {

  public StabilityReport {
    variables = List.copyOf(variables);
  }

  public VariableStability variable(String name) {
    for (VariableStability v : variables) {
      if (v.variable().equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("no variable " + name);
  }
}
