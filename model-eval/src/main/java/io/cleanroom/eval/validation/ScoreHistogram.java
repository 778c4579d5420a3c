package io.cleanroom.eval.validation;

import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.stats.Estimate;
import io.cleanroom.eval.stats.Interval;
import io.cleanroom.eval.stats.Proportion;
import io.cleanroom.eval.sum.Layout;
import io.cleanroom.eval.sum.Summable;
import java.util.ArrayList;
import java.util.List;

/**
 * Score histograms per label, summed across banks, and the validation metrics they give.
 *
 * <p>Layout {@code validation}: {@code normal} (B counts) and {@code alert} (B counts), where bin b
 * holds the accounts with score in [b/B, (b+1)/B) (a score of 1 in the last bin). With the default
 * B = 10,000 the opened totals are the score distribution at a resolution of 10^−4; no bank's
 * distribution is revealed. {@link ValidationResult} documents each metric's binning error.
 */
public final class ScoreHistogram implements Summable<ValidationResult> {

  /** The default number of bins. */
  public static final int DEFAULT_BINS = 10_000;

  private static final int DISTRIBUTION_BINS = 100;
  private static final double CURVE_STEP = 0.005;

  private final int bins;
  private final double alertBudget;
  private final Confidence confidence;
  private final Layout layout;

  /**
   * @param bins the number of equal-width bins over [0, 1]; a multiple of 100
   * @param alertBudget the share of accounts that may be flagged, in (0, 1)
   */
  public ScoreHistogram(int bins, double alertBudget, Confidence confidence) {
    if (bins < DISTRIBUTION_BINS || bins % DISTRIBUTION_BINS != 0 || bins > 1_000_000) {
      throw new IllegalArgumentException("bins must be a multiple of 100 up to 10^6, got " + bins);
    }
    if (!(alertBudget > 0 && alertBudget < 1)) {
      throw new IllegalArgumentException("alert budget must be in (0, 1), got " + alertBudget);
    }
    this.bins = bins;
    this.alertBudget = alertBudget;
    this.confidence = confidence;
    this.layout = Layout.builder("validation").block("normal", bins).block("alert", bins).build();
  }

  @Override
  public Layout layout() {
    return layout;
  }

  /** The bin of a score in [0, 1]. */
  public int bin(double score) {
    return Math.min(bins - 1, (int) (score * bins));
  }

  @Override
  public long[] local(ScoredRows rows) {
    long[] v = layout.zeros();
    int alert = layout.offset("alert");
    int[] y = rows.rows().y();
    for (int i = 0; i < rows.size(); i++) {
      v[(y[i] == 1 ? alert : 0) + bin(rows.scores()[i])]++;
    }
    return v;
  }

  @Override
  public ValidationResult fromTotals(long[] totals) {
    long[] neg = layout.slice(totals, "normal");
    long[] pos = layout.slice(totals, "alert");
    long negatives = 0;
    long positives = 0;
    for (int b = 0; b < bins; b++) {
      negatives += neg[b];
      positives += pos[b];
    }
    long accounts = positives + negatives;
    if (accounts < 1) {
      throw new IllegalArgumentException("no accounts in the totals");
    }
    double[] auc = auc(neg, pos, negatives, positives);
    double[] recall =
        recallAtBudget(neg, pos, positives, (long) Math.floor(alertBudget * accounts));
    List<CalibrationBin> calibration = calibration(neg, pos, accounts);
    double ece = 0;
    for (CalibrationBin c : calibration) {
      ece += (double) c.accounts() / accounts * Math.abs(c.meanScore() - c.observed().value());
    }
    return new ValidationResult(
        accounts,
        positives,
        aucEstimate(auc[0], negatives, positives),
        auc[1],
        averagePrecision(neg, pos, positives),
        alertBudget,
        recall[0],
        recall[1],
        recall[2],
        calibration,
        ece,
        curves(neg, pos, negatives, positives, true),
        curves(neg, pos, negatives, positives, false),
        distribution(neg, pos));
  }

  /** {AUC with ties in a bin as half, half the share of pairs sharing a bin}. */
  private double[] auc(long[] neg, long[] pos, long negatives, long positives) {
    if (negatives == 0 || positives == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double below = 0;
    double sum = 0;
    double tied = 0;
    for (int b = 0; b < bins; b++) {
      sum += pos[b] * (below + neg[b] / 2.0);
      tied += (double) pos[b] * neg[b];
      below += neg[b];
    }
    double pairs = (double) positives * negatives;
    return new double[] {sum / pairs, tied / (2 * pairs)};
  }

  /** The AUC with the Hanley–McNeil standard error: A(1−A) + (P−1)(Q1−A²) + (N−1)(Q2−A²). */
  private Estimate aucEstimate(double a, long negatives, long positives) {
    if (Double.isNaN(a)) {
      return Estimate.UNDEFINED;
    }
    double q1 = a / (2 - a);
    double q2 = 2 * a * a / (1 + a);
    double variance =
        (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a))
            / ((double) positives * negatives);
    double half = confidence.z() * Math.sqrt(Math.max(0, variance));
    return new Estimate(a, new Interval(Math.max(0, a - half), Math.min(1, a + half)));
  }

  private double averagePrecision(long[] neg, long[] pos, long positives) {
    if (positives == 0) {
      return Double.NaN;
    }
    double tp = 0;
    double flagged = 0;
    double ap = 0;
    for (int b = bins - 1; b >= 0; b--) {
      tp += pos[b];
      flagged += pos[b] + neg[b];
      if (pos[b] > 0) {
        ap += (double) pos[b] / positives * (tp / flagged);
      }
    }
    return ap;
  }

  /** {recall, its binning error, threshold} for the {@code budget} highest scores. */
  private double[] recallAtBudget(long[] neg, long[] pos, long positives, long budget) {
    double tp = 0;
    long taken = 0;
    double error = 0;
    double threshold = 0;
    for (int b = bins - 1; b >= 0; b--) {
      long n = pos[b] + neg[b];
      if (taken + n <= budget) {
        taken += n;
        tp += pos[b];
        continue;
      }
      // m more accounts fit; the bin's alert accounts among its m highest scores are between
      // lower and upper, and the interpolation takes the bin's share.
      long m = budget - taken;
      double part = (double) m / n * pos[b];
      double lower = Math.max(0, m - neg[b]);
      double upper = Math.min(pos[b], m);
      tp += part;
      error = positives == 0 ? Double.NaN : Math.max(part - lower, upper - part) / positives;
      threshold = (double) (b + 1) / bins;
      break;
    }
    return new double[] {positives == 0 ? Double.NaN : tp / positives, error, threshold};
  }

  /** Deciles by population: bin b goes to decile ⌊10·(accounts below b + n_b/2)/N⌋. */
  private List<CalibrationBin> calibration(long[] neg, long[] pos, long accounts) {
    long[] n = new long[10];
    long[] p = new long[10];
    double[] scoreSum = new double[10];
    int[] first = new int[10];
    int[] last = new int[10];
    long below = 0;
    for (int b = 0; b < bins; b++) {
      long nb = neg[b] + pos[b];
      if (nb == 0) {
        continue;
      }
      int d = (int) Math.min(9, Math.floor(10 * (below + nb / 2.0) / accounts));
      if (n[d] == 0) {
        first[d] = b;
      }
      last[d] = b;
      n[d] += nb;
      p[d] += pos[b];
      scoreSum[d] += nb * (b + 0.5) / bins;
      below += nb;
    }
    List<CalibrationBin> out = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      if (n[d] > 0) {
        out.add(
            new CalibrationBin(
                (double) first[d] / bins,
                (double) (last[d] + 1) / bins,
                n[d],
                scoreSum[d] / n[d],
                Proportion.of(p[d], n[d], confidence)));
      }
    }
    return out;
  }

  /** The ROC curve ({@code roc}) or the precision-recall curve, from the highest scores down. */
  private List<CurvePoint> curves(
      long[] neg, long[] pos, long negatives, long positives, boolean roc) {
    List<CurvePoint> out = new ArrayList<>();
    if (negatives == 0 || positives == 0) {
      return out;
    }
    double tp = 0;
    double fp = 0;
    CurvePoint kept = roc ? new CurvePoint(0, 0) : null;
    if (kept != null) {
      out.add(kept);
    }
    CurvePoint latest = null;
    for (int b = bins - 1; b >= 0; b--) {
      if (pos[b] + neg[b] == 0) {
        continue;
      }
      tp += pos[b];
      fp += neg[b];
      latest =
          roc
              ? new CurvePoint(fp / negatives, tp / positives)
              : new CurvePoint(tp / positives, tp / (tp + fp));
      if (kept == null
          || Math.abs(latest.x() - kept.x()) >= CURVE_STEP
          || Math.abs(latest.y() - kept.y()) >= CURVE_STEP) {
        out.add(latest);
        kept = latest;
      }
    }
    if (latest != kept) {
      out.add(latest);
    }
    return out;
  }

  private ScoreDistribution distribution(long[] neg, long[] pos) {
    long[] normal = new long[DISTRIBUTION_BINS];
    long[] alert = new long[DISTRIBUTION_BINS];
    int width = bins / DISTRIBUTION_BINS;
    for (int b = 0; b < bins; b++) {
      normal[b / width] += neg[b];
      alert[b / width] += pos[b];
    }
    return new ScoreDistribution(normal, alert);
  }
}
