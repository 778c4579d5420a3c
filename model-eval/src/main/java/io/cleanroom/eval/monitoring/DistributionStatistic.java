package io.cleanroom.eval.monitoring;

import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.sum.Layout;
import io.cleanroom.eval.sum.Summable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fine histograms of the score and of each model input z_j (standardised with the training means
 * and deviations and clipped to ±winsorize, so the ranges are fixed and public), summed across
 * banks. Every window is summed with the same statistic; {@link StabilityIndex} compares two
 * windows.
 *
 * <p>Layout {@code distribution}: a block {@code score} and one block per feature, each of B bin
 * counts (default 1,000). Only counts are summed.
 */
public final class DistributionStatistic implements Summable<WindowDistribution> {

  /** The default number of bins per variable. */
  public static final int DEFAULT_BINS = 1_000;

  public static final String SCORE = "score";

  private final LogisticModel model;
  private final int bins;
  private final Layout layout;

  public DistributionStatistic(LogisticModel model, int bins) {
    if (bins < 10 || bins > 100_000) {
      throw new IllegalArgumentException("bins must be 10..100000, got " + bins);
    }
    if (model.features().contains(SCORE)) {
      throw new IllegalArgumentException("a feature may not be named " + SCORE);
    }
    this.model = model;
    this.bins = bins;
    Layout.Builder b = Layout.builder("distribution").block(SCORE, bins);
    for (String f : model.features()) {
      b.block(f, bins);
    }
    this.layout = b.build();
  }

  @Override
  public Layout layout() {
    return layout;
  }

  @Override
  public long[] local(ScoredRows rows) {
    rows.requireFeatures(model.features());
    long[] v = layout.zeros();
    double w = model.winsorize();
    int d = model.features().size();
    int score = layout.offset(SCORE);
    int[] offset = new int[d];
    for (int j = 0; j < d; j++) {
      offset[j] = layout.offset(model.features().get(j));
    }
    for (int i = 0; i < rows.size(); i++) {
      v[score + bin(rows.scores()[i], 0, 1)]++;
      double[] x = rows.rows().x()[i];
      for (int j = 0; j < d; j++) {
        v[offset[j] + bin(model.standardise(j, x[j]), -w, w)]++;
      }
    }
    return v;
  }

  private int bin(double value, double low, double high) {
    int b = (int) Math.floor((value - low) / (high - low) * bins);
    return Math.max(0, Math.min(bins - 1, b));
  }

  @Override
  public WindowDistribution fromTotals(long[] totals) {
    Map<String, WindowDistribution.Histogram> out = new LinkedHashMap<>();
    out.put(SCORE, new WindowDistribution.Histogram(0, 1, layout.slice(totals, SCORE)));
    double w = model.winsorize();
    for (String f : model.features()) {
      out.put(f, new WindowDistribution.Histogram(-w, w, layout.slice(totals, f)));
    }
    return new WindowDistribution(out);
  }
}
