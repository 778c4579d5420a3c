package io.cleanroom.eval.model;

import java.util.Map;

/**
 * Parameters of the joint model's training, from the study plan: {@code epochs}, {@code
 * batch_size}, {@code learning_rate}, {@code l2} (regularisation of every weight but the
 * intercept), and {@code winsorize} (standardised features are clipped to ±this many standard
 * deviations, which keeps every logit inside the range where the secure sigmoid is accurate).
 */
public record TrainingParameters(
    int epochs, int batchSize, double learningRate, double l2, double winsorize) {

  public TrainingParameters {
    require(epochs >= 1 && epochs <= 1000, "epochs must be 1..1000, got " + epochs);
    require(batchSize >= 1 && batchSize <= 65536, "batch_size must be 1..65536, got " + batchSize);
    require(learningRate > 0 && learningRate <= 100, "learning_rate must be in (0, 100]");
    require(l2 >= 0 && l2 <= 100, "l2 must be in [0, 100]");
    require(winsorize >= 1 && winsorize <= 16, "winsorize must be in [1, 16]");
  }

  /** Epochs 10, batch 512, learning rate 0.2, l2 0.001, winsorize 5, overridden by the plan. */
  public static TrainingParameters of(Map<String, String> plan) {
    try {
      return new TrainingParameters(
          Integer.parseInt(plan.getOrDefault("epochs", "10")),
          Integer.parseInt(plan.getOrDefault("batch_size", "512")),
          Double.parseDouble(plan.getOrDefault("learning_rate", "0.2")),
          Double.parseDouble(plan.getOrDefault("l2", "0.001")),
          Double.parseDouble(plan.getOrDefault("winsorize", "5")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "training parameter is not a number: " + e.getMessage(), e);
    }
  }

  /** The parameters as plan entries. */
  public Map<String, String> asPlan() {
    return Map.of(
        "epochs", Integer.toString(epochs),
        "batch_size", Integer.toString(batchSize),
        "learning_rate", Double.toString(learningRate),
        "l2", Double.toString(l2),
        "winsorize", Double.toString(winsorize));
  }

  /**
   * Class weights that make both classes weigh half of the rows: n/(2·positives) for an alert
   * account, n/(2·(n − positives)) otherwise; 1 for both when a class is empty.
   */
  public static double[] classWeights(long rows, long positives) {
    if (positives <= 0 || positives >= rows) {
      return new double[] {1, 1};
    }
    return new double[] {rows / (2.0 * (rows - positives)), rows / (2.0 * positives)};
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
