package io.cleanroom.eval.explain;

import io.cleanroom.eval.model.LogisticModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Explains single decisions of the joint model at the bank that owns the account: each feature's
 * exact contribution w_j·z_j to the log-odds, and as reasons the (at most {@code maxReasons})
 * features that raised the log-odds most, each with its text for a high or low value.
 */
public final class DecisionExplainer {

  private final LogisticModel model;
  private final ReasonTexts texts;
  private final int maxReasons;

  /**
   * @param maxReasons at most this many reasons per decision (1 to 4; GOVERNANCE.md asks for four)
   */
  public DecisionExplainer(LogisticModel model, ReasonTexts texts, int maxReasons) {
    if (maxReasons < 1 || maxReasons > 4) {
      throw new IllegalArgumentException("reasons per decision must be 1..4, got " + maxReasons);
    }
    this.model = model;
    this.texts = texts;
    this.maxReasons = maxReasons;
  }

  public LogisticModel model() {
    return model;
  }

  /** The explanation of the account with raw feature values {@code x} (in model order). */
  public Explanation explain(double[] x) {
    int d = model.features().size();
    if (x.length != d) {
      throw new IllegalArgumentException(x.length + " values for " + d + " features");
    }
    double[] c = new double[d];
    double[] z = new double[d];
    double logit = model.intercept();
    List<Integer> raising = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      z[j] = model.standardise(j, x[j]);
      c[j] = model.weights()[j] * z[j];
      logit += c[j];
      if (c[j] > 0) {
        raising.add(j);
      }
    }
    raising.sort(Comparator.comparingDouble((Integer j) -> -c[j]).thenComparing(j -> j));
    List<Reason> reasons = new ArrayList<>();
    for (int j : raising.subList(0, Math.min(maxReasons, raising.size()))) {
      Direction direction = z[j] > 0 ? Direction.HIGH : Direction.LOW;
      String feature = model.features().get(j);
      reasons.add(
          new Reason(
              reasons.size() + 1,
              feature,
              x[j],
              c[j],
              direction,
              texts.reason(feature, direction)));
    }
    return new Explanation(logit, 1 / (1 + Math.exp(-logit)), c, reasons);
  }
}
