package io.cleanroom.eval.validation;

import io.cleanroom.eval.stats.Estimate;
import java.util.List;

/**
 * The model's validation metrics over every bank's accounts, from {@link ScoreHistogram}'s totals.
 *
 * @param accounts the number of accounts scored
 * @param positives the number labelled alert
 * @param auc area under the ROC curve, ties within a histogram bin counted as half, with the
 *     Hanley–McNeil (1982) interval; NaN without both classes
 * @param aucBinningError the exact AUC of the unbinned scores lies within ± this of {@code auc}:
 *     half the share of (alert, normal) pairs that share a bin
 * @param averagePrecision Σ over bins from the top of (alerts in bin / all alerts) × precision at
 *     that bin; equals the exact average precision of the scores rounded down to bin edges (tied
 *     scores treated as one threshold, as scikit-learn does); NaN without alert accounts
 * @param alertBudget the share of accounts an alert budget allows, e.g. 0.01
 * @param recallAtBudget the share of alert accounts among the ⌊budget·accounts⌋ highest scores,
 *     interpolated within the bin the budget ends in
 * @param recallBinningError the exact recall at the budget lies within ± this of {@code
 *     recallAtBudget}
 * @param thresholdAtBudget the smallest bin edge t with at most ⌊budget·accounts⌋ scores ≥ t: an
 *     alert threshold that keeps to the budget
 * @param calibration deciles of the accounts by score
 * @param expectedCalibrationError Σ over deciles of (share of accounts) × |mean score − observed
 *     rate|
 * @param roc the ROC curve, thinned to steps of at least 0.005
 * @param precisionRecall the precision-recall curve, thinned likewise
 * @param distribution the score distribution per label in coarse bins
 */
public record ValidationResult(
    long accounts,
    long positives,
    Estimate auc,
    double aucBinningError,
    double averagePrecision,
    double alertBudget,
    double recallAtBudget,
    double recallBinningError,
    double thresholdAtBudget,
    List<CalibrationBin> calibration,
    double expectedCalibrationError,
    List<CurvePoint> roc,
    List<CurvePoint> precisionRecall,
    ScoreDistribution distribution) {

  public ValidationResult {
    calibration = List.copyOf(calibration);
    roc = List.copyOf(roc);
    precisionRecall = List.copyOf(precisionRecall);
  }
}
