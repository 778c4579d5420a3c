package io.cleanroom.protocol.study;

import java.util.Map;

/**
 * How a phase's progress fraction divides into its parts, so that the nodes (which report the
 * fraction) and the coordinator (which describes it to the operator, e.g. "epoch 4/10") read it the
 * same way. Only public sizes enter: the plan's iterations and epochs.
 */
public final class PhaseProgress {
  private PhaseProgress() {}

  /** Propagation: the part before the iterations (sharing weights and seeds, masking). */
  public static final double PROPAGATE_ITERATIONS_FROM = 0.3;

  /** Propagation: the end of the iterations; the rest is releasing each bank's risk. */
  public static final double PROPAGATE_ITERATIONS_TO = 0.9;

  /** Training: the part before the gradient steps (features, standardising, masking batches). */
  public static final double TRAIN_STEPS_FROM = 0.2;

  /** Training: the end of the gradient steps; the rest is opening and writing the model. */
  public static final double TRAIN_STEPS_TO = 0.95;

  /**
   * A short description of where {@code phase} stands at {@code fraction}, e.g. "epoch 4/10" or
   * "iteration 2/4", or "" when there is nothing to add to the fraction.
   *
   * @param parameters the plan's parameters (epochs, iterations)
   */
  public static String describe(String phase, double fraction, Map<String, String> parameters) {
    switch (phase) {
      case "train" -> {
        int epochs = positive(parameters.get("epochs"), 10);
        return within(fraction, TRAIN_STEPS_FROM, TRAIN_STEPS_TO, epochs, "epoch", "preparing");
      }
      case "propagate" -> {
        int iterations = positive(parameters.get("iterations"), 4);
        return within(
            fraction,
            PROPAGATE_ITERATIONS_FROM,
            PROPAGATE_ITERATIONS_TO,
            iterations,
            "iteration",
            "sharing weights");
      }
      default -> {
        return "";
      }
    }
  }

  /** A fraction as a whole percentage, rounded down (so 100 only when done): 0.289 is 28. */
  public static int percent(double fraction) {
    if (!(fraction > 0)) {
      return 0;
    }
    // The epsilon keeps 0.29 at 29 although 0.29 * 100 is 28.999999999999996.
    return (int) Math.min(100, Math.floor(fraction * 100 + 1e-9));
  }

  private static String within(
      double fraction, double from, double to, int units, String unit, String before) {
    if (fraction < from) {
      return before;
    }
    if (fraction >= to) {
      return "finishing";
    }
    int current = (int) Math.floor((fraction - from) / (to - from) * units) + 1;
    return unit + " " + Math.min(units, current) + "/" + units;
  }

  private static int positive(String value, int otherwise) {
    if (value == null) {
      return otherwise;
    }
    try {
      int v = Integer.parseInt(value.trim());
      return v > 0 ? v : otherwise;
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
