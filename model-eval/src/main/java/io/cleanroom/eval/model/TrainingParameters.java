package io.cleanroom.eval.model;

import java.util.Map;

/**
 * Parameters of the joint model's training, from the study plan: {@code epochs}, {@code
 * batch_size}, {@code learning_rate}, {@code l2} (regularisation of every weight but the
 * intercept), {@code winsorize} (standardised features are clipped to ±this many standard
 * deviations, which bounds every step of the secure training), and {@code learning_rate_schedule}
 * (the step size of each epoch, {@link Schedule}).
 */
public record TrainingParameters(
    int epochs,
    int batchSize,
    double learningRate,
    double l2,
    double winsorize,
    Schedule schedule) {

  /**
   * How the step size changes from epoch to epoch: the learning rate times {@link #factor}. Public,
   * like every other training parameter, so the secure training and its plaintext twin apply it
   * identically.
   */
  public enum Schedule {
    /** The same step size in every epoch. */
    CONSTANT("constant"),
    /**
     * η/(1 + e) in epoch e = 0, 1, …: the decreasing steps of stochastic approximation (Robbins and
     * Monro 1951), so that mini-batch noise averages out instead of leaving the weights wherever
     * the last large steps threw them. With large steps and small batches (learning rate 2, batches
     * of 64) constant steps leave the plaintext training itself unsettled (its AUC on one dataset
     * ranged from 0.961 to 0.998 with the batch order); this one settles.
     */
    INVERSE_EPOCH("inverse-epoch");

    private final String name;

    Schedule(String name) {
      this.name = name;
    }

    /** The plan's name of the schedule. */
    public String planName() {
      return name;
    }

    /** The factor of the learning rate in epoch {@code epoch} (from 0). */
    public double factor(int epoch) {
      return this == CONSTANT ? 1.0 : 1.0 / (1 + epoch);
    }

    static Schedule of(String name) {
      for (Schedule s : values()) {
        if (s.name.equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "learning_rate_schedule must be constant or inverse-epoch, got " + name);
    }
  }

  /** The default schedule, {@link Schedule#INVERSE_EPOCH}. */
  public TrainingParameters(
      int epochs, int batchSize, double learningRate, double l2, double winsorize) {
    this(epochs, batchSize, learningRate, l2, winsorize, Schedule.INVERSE_EPOCH);
  }

  public TrainingParameters {
    require(schedule != null, "learning_rate_schedule is missing");
    require(epochs >= 1 && epochs <= 1000, "epochs must be 1..1000, got " + epochs);
    require(batchSize >= 1 && batchSize <= 65536, "batch_size must be 1..65536, got " + batchSize);
    require(learningRate > 0 && learningRate <= 100, "learning_rate must be in (0, 100]");
    require(l2 >= 0 && l2 <= 100, "l2 must be in [0, 100]");
    require(winsorize >= 1 && winsorize <= 16, "winsorize must be in [1, 16]");
  }

  /**
   * Epochs 10, batch 512, learning rate 0.2, l2 0.001, winsorize 5, schedule inverse-epoch,
   * overridden by the plan.
   */
  public static TrainingParameters of(Map<String, String> plan) {
    try {
      return new TrainingParameters(
          Integer.parseInt(plan.getOrDefault("epochs", "10")),
          Integer.parseInt(plan.getOrDefault("batch_size", "512")),
          Double.parseDouble(plan.getOrDefault("learning_rate", "0.2")),
          Double.parseDouble(plan.getOrDefault("l2", "0.001")),
          Double.parseDouble(plan.getOrDefault("winsorize", "5")),
          Schedule.of(plan.getOrDefault("learning_rate_schedule", "inverse-epoch")));
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
        "winsorize", Double.toString(winsorize),
        "learning_rate_schedule", schedule.planName());
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
