package io.cleanroom.node.model;

import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.node.data.Activity;
import io.cleanroom.node.data.AlertLevel;
import io.cleanroom.node.data.BankData;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The joint model's features, computed by each bank for each of its accounts from its own records
 * (README, "Model features"). Amounts are in TWD and counts in transfers over the data's window;
 * heavy-tailed figures enter as ln(1 + value). Protected attributes (gender, age, nationality,
 * region) are never features. The label is 1 for an alert account.
 */
public final class AccountFeatures {
  private AccountFeatures() {}

  /** The feature names, in model order. */
  public static final List<String> NAMES =
      List.of(
          "log_in_count",
          "log_out_count",
          "log_in_amount",
          "log_out_amount",
          "log_mean_in_amount",
          "log_mean_out_amount",
          "in_share",
          "pass_through",
          "log_daily_volume",
          "log_in_counterparties",
          "log_out_counterparties",
          "cross_bank_in_share",
          "cross_bank_out_share",
          "log_account_age_days",
          "linked_risk");

  /** The features that use no other bank's information: all but {@code linked_risk}. */
  public static final List<String> LOCAL = NAMES.subList(0, NAMES.size() - 1);

  /**
   * The feature rows of every account of the bank.
   *
   * @param linkedRisk each account's linked risk (risk − (1−δ)^T·seed), by account index
   * @param windowEnd the day account age is measured to, or null for the bank's latest transfer
   */
  public static FeatureRows compute(BankData data, double[] linkedRisk, LocalDate windowEnd) {
    int n = data.accountCount();
    Activity act = data.activity();
    long lastSecond = Long.MIN_VALUE;
    for (int a = 0; a < n; a++) {
      lastSecond = Math.max(lastSecond, act.lastSeen(a));
    }
    long endDay =
        windowEnd != null
            ? windowEnd.toEpochDay()
            : lastSecond == Activity.NO_TIME ? 0 : Math.floorDiv(lastSecond, 86_400L);
    List<String> ids = new ArrayList<>(n);
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int a = 0; a < n; a++) {
      ids.add(data.accountId(a));
      double inSum = act.incomingSum(a);
      double outSum = act.outgoingSum(a);
      int inCount = act.incomingCount(a);
      int outCount = act.outgoingCount(a);
      double activeDays =
          act.firstSeen(a) == Activity.NO_TIME
              ? 1
              : (act.lastSeen(a) - act.firstSeen(a)) / 86_400.0 + 1;
      double age = Math.max(0, endDay - data.openedOn(a));
      x[a] =
          new double[] {
            Math.log1p(inCount),
            Math.log1p(outCount),
            Math.log1p(inSum),
            Math.log1p(outSum),
            Math.log1p(inCount == 0 ? 0 : inSum / inCount),
            Math.log1p(outCount == 0 ? 0 : outSum / outCount),
            inSum + outSum == 0 ? 0.5 : inSum / (inSum + outSum),
            Math.max(inSum, outSum) == 0 ? 0 : Math.min(inSum, outSum) / Math.max(inSum, outSum),
            Math.log1p((inSum + outSum) / activeDays),
            Math.log1p(act.incomingCounterparties(a)),
            Math.log1p(act.outgoingCounterparties(a)),
            inSum == 0 ? 0 : act.crossBankIncomingSum(a) / inSum,
            outSum == 0 ? 0 : act.crossBankOutgoingSum(a) / outSum,
            Math.log1p(age),
            linkedRisk[a]
          };
      y[a] = data.alertLevel(a) == AlertLevel.ALERT ? 1 : 0;
    }
    return new FeatureRows(NAMES, ids, x, y);
  }
}
