package io.cleanroom.node.risk;

import io.cleanroom.node.data.AlertLevel;
import java.util.Map;

/**
 * The parameters of the risk computation, from the study plan: damping δ ({@code delta}), the
 * identity share λ ({@code lambda}), iterations T ({@code iterations}), grey-list threshold θ
 * ({@code theta}), and the seed values of alert and grey accounts.
 */
public record RiskParameters(
    double delta, double lambda, int iterations, double theta, double alertSeed, double greySeed) {

  public RiskParameters {
    check(delta >= 0 && delta <= 1, "delta must be in [0, 1]");
    check(lambda >= 0 && lambda <= 1, "lambda must be in [0, 1]");
    check(iterations >= 1 && iterations <= 100, "iterations must be 1..100");
    check(alertSeed >= 0 && alertSeed <= 1 && greySeed >= 0 && greySeed <= 1, "seeds in [0, 1]");
  }

  /** The seed value of an account at {@code level}: alert, grey, or 0 for an unflagged one. */
  public double seed(AlertLevel level) {
    return level == AlertLevel.ALERT ? alertSeed : level == AlertLevel.GREY ? greySeed : 0.0;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * The design's defaults (δ 0.5, λ 0.3, T 4, θ 0.05, alert 1.0, grey 0.5) overridden by a plan.
   */
  public static RiskParameters of(Map<String, String> plan) {
    try {
      return new RiskParameters(
          Double.parseDouble(plan.getOrDefault("delta", "0.5")),
          Double.parseDouble(plan.getOrDefault("lambda", "0.3")),
          Integer.parseInt(plan.getOrDefault("iterations", "4")),
          Double.parseDouble(plan.getOrDefault("theta", "0.05")),
          Double.parseDouble(plan.getOrDefault("alert_seed", "1.0")),
          Double.parseDouble(plan.getOrDefault("grey_seed", "0.5")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("risk parameter is not a number: " + e.getMessage(), e);
    }
  }
}
