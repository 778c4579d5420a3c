package io.cleanroom.eval.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.stats.Confidence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {

  private static final Confidence C95 = new Confidence(0.95);
  private static final double EPS = 1e-12;

  /** Normal accounts at 0.05, 0.15, 0.25, 0.35; alert accounts at 0.255 and 0.85. */
  private static ScoredRows handRows() {
    double[] scores = {0.05, 0.15, 0.25, 0.35, 0.255, 0.85};
    int[] y = {0, 0, 0, 0, 1, 1};
    return rows(scores, y);
  }

  @Test
  void auc_countsPairsSharingABinAsHalf() {
    ValidationResult v =
        new ScoreHistogram(100, 0.34, C95).fromTotals(local(100, 0.34, handRows()));
    // The alert at 0.255 beats 2 normals and ties one in bin 25; the one at 0.85 beats all 4.
    assertEquals(6.5 / 8, v.auc().value(), EPS);
    assertEquals(1.0 / 16, v.aucBinningError(), EPS);
    // The exact AUC, 7/8, lies within the bound.
    assertTrue(Math.abs(7.0 / 8 - v.auc().value()) <= v.aucBinningError() + EPS);
  }

  @Test
  void averagePrecision_treatsABinAsOneThreshold() {
    ValidationResult v =
        new ScoreHistogram(100, 0.34, C95).fromTotals(local(100, 0.34, handRows()));
    // Bin 85: precision 1/1; bin 25: precision 2/4 (with bin 35 above it).
    assertEquals(0.5 * 1 + 0.5 * 0.5, v.averagePrecision(), EPS);
  }

  @Test
  void recallAtBudget_endingAtABinEdge_isExact() {
    ValidationResult v =
        new ScoreHistogram(100, 0.34, C95).fromTotals(local(100, 0.34, handRows()));
    // ⌊0.34·6⌋ = 2 accounts: 0.85 and 0.35.
    assertEquals(0.5, v.recallAtBudget(), EPS);
    assertEquals(0, v.recallBinningError(), EPS);
    assertEquals(0.26, v.thresholdAtBudget(), EPS);
  }

  @Test
  void recallAtBudget_insideABin_isInterpolated() {
    ValidationResult v = new ScoreHistogram(100, 0.5, C95).fromTotals(local(100, 0.5, handRows()));
    // 3 accounts: 0.85, 0.35 and one of the two in bin 25, which holds one alert account.
    assertEquals(0.75, v.recallAtBudget(), EPS);
    assertEquals(0.25, v.recallBinningError(), EPS);
  }

  @Test
  void calibration_groupsBinsIntoDeciles() {
    ValidationResult v =
        new ScoreHistogram(100, 0.34, C95).fromTotals(local(100, 0.34, handRows()));
    assertEquals(5, v.calibration().size());
    CalibrationBin middle = v.calibration().get(2);
    assertEquals(2, middle.accounts());
    assertEquals(0.255, middle.meanScore(), EPS);
    assertEquals(0.5, middle.observed().value(), EPS);
    assertEquals(0.25, middle.lowScore(), EPS);
    assertEquals(0.26, middle.highScore(), EPS);
  }

  @Test
  void curves_runFromTheTopScore() {
    ValidationResult v =
        new ScoreHistogram(100, 0.34, C95).fromTotals(local(100, 0.34, handRows()));
    assertEquals(new CurvePoint(0, 0), v.roc().get(0));
    assertEquals(new CurvePoint(0, 0.5), v.roc().get(1));
    assertEquals(new CurvePoint(1, 1), v.roc().get(v.roc().size() - 1));
    assertEquals(new CurvePoint(0.5, 1), v.precisionRecall().get(0));
  }

  @Test
  void manyAccounts_metricsWithinTheirBinningErrors() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 5000;
    double[] scores = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.1 ? 1 : 0;
      double u = r.nextGaussian() + (y[i] == 1 ? 1.5 : 0);
      scores[i] = 1 / (1 + Math.exp(-u));
    }
    ScoreHistogram h = new ScoreHistogram(ScoreHistogram.DEFAULT_BINS, 0.05, C95);
    ValidationResult v = h.fromTotals(h.local(rows(scores, y)));

    assertTrue(Math.abs(exactAuc(scores, y) - v.auc().value()) <= v.aucBinningError());
    assertTrue(v.aucBinningError() < 1e-3, "binning error " + v.aucBinningError());
    assertTrue(v.auc().interval().low() < v.auc().value());

    double[] binned = new double[n];
    for (int i = 0; i < n; i++) {
      binned[i] = h.bin(scores[i]);
    }
    assertEquals(exactAveragePrecision(binned, y), v.averagePrecision(), 1e-12);
    assertEquals(exactAveragePrecision(scores, y), v.averagePrecision(), 0.01);

    assertEquals(
        topRecall(scores, y, (int) Math.floor(0.05 * n)),
        v.recallAtBudget(),
        v.recallBinningError() + 1e-12);
    long flagged = Arrays.stream(scores).filter(s -> s >= v.thresholdAtBudget()).count();
    assertTrue(flagged <= 250, flagged + " flagged");
  }

  @Test
  void binsNotAMultipleOfAHundred_fail() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(150, 0.01, C95));
    assertEquals("bins must be a multiple of 100 up to 10^6, got 150", e.getMessage());
  }

  private static long[] local(int bins, double budget, ScoredRows rows) {
    return new ScoreHistogram(bins, budget, C95).local(rows);
  }

  private static ScoredRows rows(double[] scores, int[] y) {
    List<String> ids = new ArrayList<>();
    double[][] x = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      ids.add("a" + i);
      x[i] = new double[] {0, 0, 0, 0};
    }
    return new ScoredRows(
        new FeatureRows(Synthetic.FEATURES, ids, x, y),
        scores,
        Collections.nCopies(scores.length, new Demographics("F", null, "TW", null)));
  }

  private static double exactAuc(double[] s, int[] y) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      if (y[i] != 1) {
        continue;
      }
      for (int j = 0; j < s.length; j++) {
        if (y[j] == 0) {
          pairs++;
          wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  /** Average precision with tied scores as one threshold. */
  private static double exactAveragePrecision(double[] s, int[] y) {
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < s.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
    double positives = Arrays.stream(y).sum();
    double ap = 0;
    int tp = 0;
    int k = 0;
    while (k < order.length) {
      int tiedPositives = 0;
      double tie = s[order[k]];
      while (k < order.length && s[order[k]] == tie) {
        tiedPositives += y[order[k]];
        k++;
      }
      tp += tiedPositives;
      ap += tiedPositives / positives * ((double) tp / k);
    }
    return ap;
  }

  private static double topRecall(double[] s, int[] y, int k) {
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < s.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
    double tp = 0;
    for (int i = 0; i < k; i++) {
      tp += y[order[i]];
    }
    return tp / Arrays.stream(y).sum();
  }
}
