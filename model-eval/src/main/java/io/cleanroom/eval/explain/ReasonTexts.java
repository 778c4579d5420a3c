package io.cleanroom.eval.explain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reason text for a feature whose value is unusually high or low. {@link #standard} covers
 * every feature of the joint model ({@code AccountFeatures.NAMES} in mpc-node); a feature without
 * an entry gets a generic text naming it.
 */
public final class ReasonTexts {

  private final Map<String, Map<Direction, ReasonText>> table;

  private ReasonTexts(Map<String, Map<Direction, ReasonText>> table) {
    this.table = table;
  }

  /** The texts for the joint model's features. */
  public static ReasonTexts standard() {
    return new Builder()
        .add(
            "log_in_count",
            "轉入交易筆數偏多",
            "Many incoming transfers",
            "轉入交易筆數偏少",
            "Few incoming transfers")
        .add(
            "log_out_count",
            "轉出交易筆數偏多",
            "Many outgoing transfers",
            "轉出交易筆數偏少",
            "Few outgoing transfers")
        .add(
            "log_in_amount",
            "轉入總金額偏高",
            "Large total amount received",
            "轉入總金額偏低",
            "Small total amount received")
        .add(
            "log_out_amount",
            "轉出總金額偏高",
            "Large total amount sent",
            "轉出總金額偏低",
            "Small total amount sent")
        .add(
            "log_mean_in_amount",
            "單筆轉入平均金額偏高",
            "Large average incoming transfer",
            "單筆轉入平均金額偏低",
            "Small average incoming transfer")
        .add(
            "log_mean_out_amount",
            "單筆轉出平均金額偏高",
            "Large average outgoing transfer",
            "單筆轉出平均金額偏低",
            "Small average outgoing transfer")
        .add("in_share", "資金以轉入為主", "Mostly receives money", "資金以轉出為主", "Mostly sends money")
        .add(
            "pass_through",
            "轉入金額隨即轉出（快進快出）",
            "Money received is passed on (amounts in and out are similar)",
            "轉入與轉出金額差距大",
            "Amounts received and sent differ widely")
        .add(
            "log_daily_volume",
            "每日交易金額偏高",
            "High daily transaction volume",
            "每日交易金額偏低",
            "Low daily transaction volume")
        .add(
            "log_in_counterparties",
            "轉入對象眾多",
            "Receives from many counterparties",
            "轉入對象很少",
            "Receives from few counterparties")
        .add(
            "log_out_counterparties",
            "轉出對象眾多",
            "Sends to many counterparties",
            "轉出對象很少",
            "Sends to few counterparties")
        .add(
            "cross_bank_in_share",
            "跨行轉入比例偏高",
            "Large share of money received from other banks",
            "跨行轉入比例偏低",
            "Small share of money received from other banks")
        .add(
            "cross_bank_out_share",
            "跨行轉出比例偏高",
            "Large share of money sent to other banks",
            "跨行轉出比例偏低",
            "Small share of money sent to other banks")
        .add(
            "log_account_age_days",
            "帳戶開立已久",
            "Long-established account",
            "帳戶開立不久",
            "Recently opened account")
        .add(
            "linked_risk",
            "與警示帳戶有資金往來或身分關聯",
            "Linked by transfers or shared identity to alert accounts",
            "與警示帳戶關聯低",
            "Few links to alert accounts")
        .build();
  }

  /** The reason for {@code feature} being {@code direction}; a generic one for unknown features. */
  public ReasonText reason(String feature, Direction direction) {
    Map<Direction, ReasonText> row = table.get(feature);
    if (row != null) {
      return row.get(direction);
    }
    return direction == Direction.HIGH
        ? new ReasonText("「" + feature + "」數值偏高", feature + " is higher than usual")
        : new ReasonText("「" + feature + "」數值偏低", feature + " is lower than usual");
  }

  /** Whether {@code feature} has its own texts rather than the generic ones. */
  public boolean covers(String feature) {
    return table.containsKey(feature);
  }

  /** Collects texts for high and low values per feature. */
  public static final class Builder {
    private final Map<String, Map<Direction, ReasonText>> table = new LinkedHashMap<>();

    public Builder add(String feature, String highZh, String highEn, String lowZh, String lowEn) {
      if (table.containsKey(feature)) {
        throw new IllegalArgumentException("reason texts for " + feature + " are given twice");
      }
      table.put(
          feature,
          Map.of(
              Direction.HIGH, new ReasonText(highZh, highEn),
              Direction.LOW, new ReasonText(lowZh, lowEn)));
      return this;
    }

    public ReasonTexts build() {
      return new ReasonTexts(Map.copyOf(table));
    }
  }
}
