package io.cleanroom.eval.explain;

import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.sum.Layout;
import io.cleanroom.eval.sum.Scale;
import io.cleanroom.eval.sum.Summable;
import java.util.ArrayList;
import java.util.List;

/**
 * The sums behind each feature's mean absolute contribution: the number of accounts and, per
 * feature, Σ|w_j·z_j| in fixed point ({@link Scale}). Layout {@code explanation}: {@code n} (1),
 * {@code sum_abs_contribution} (d, model order). Weights are public and need no sum.
 */
public final class ContributionStatistic implements Summable<GlobalExplanation> {

  private final LogisticModel model;
  private final Layout layout;

  public ContributionStatistic(LogisticModel model) {
    this.model = model;
    this.layout =
        Layout.builder("explanation")
            .block("n", 1)
            .block("sum_abs_contribution", model.features().size())
            .build();
  }

  @Override
  public Layout layout() {
    return layout;
  }

  @Override
  public long[] local(ScoredRows rows) {
    rows.requireFeatures(model.features());
    long[] v = layout.zeros();
    int sum = layout.offset("sum_abs_contribution");
    double[] w = model.weights();
    for (double[] x : rows.rows().x()) {
      v[0]++;
      for (int j = 0; j < w.length; j++) {
        v[sum + j] += Scale.encode(Math.abs(w[j] * model.standardise(j, x[j])));
      }
    }
    return v;
  }

  @Override
  public GlobalExplanation fromTotals(long[] totals) {
    layout.requireSize(totals);
    long n = totals[0];
    if (n < 1) {
      throw new IllegalArgumentException("no accounts in the totals");
    }
    long[] sums = layout.slice(totals, "sum_abs_contribution");
    double[] raw = model.rawWeights();
    List<FeatureImportance> out = new ArrayList<>();
    for (int j = 0; j < sums.length; j++) {
      out.add(
          new FeatureImportance(
              model.features().get(j), raw[j], model.weights()[j], Scale.decode(sums[j]) / n));
    }
    return new GlobalExplanation(n, model.intercept(), out);
  }
}
