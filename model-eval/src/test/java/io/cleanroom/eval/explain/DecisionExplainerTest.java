package io.cleanroom.eval.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.LogisticModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionExplainerTest {

  private static final LogisticModel MODEL = Synthetic.model();

  @Test
  void contributions_addUpToTheLogit() {
    DecisionExplainer explainer = new DecisionExplainer(MODEL, ReasonTexts.standard(), 4);
    double[] x = {14, 0.9, 0.0, 0.5};
    Explanation e = explainer.explain(x);
    double sum = MODEL.intercept();
    for (double c : e.contributions()) {
      sum += c;
    }
    assertEquals(MODEL.logit(x), e.logit(), 1e-12);
    assertEquals(sum, e.logit(), 1e-12);
    assertEquals(MODEL.score(x), e.score(), 1e-12);
  }

  @Test
  void contribution_isWeightTimesStandardisedValue() {
    // log_in_amount: (14 − 9)/2 = 2.5 standard deviations, weight 0.8.
    Explanation e =
        new DecisionExplainer(MODEL, ReasonTexts.standard(), 4)
            .explain(new double[] {14, 0.4, 0.3, 0.05});
    assertEquals(2.0, e.contributions()[0], 1e-12);
    assertEquals(0, e.contributions()[1], 1e-12);
    // linked_risk clipped at 3 standard deviations.
    Explanation clipped =
        new DecisionExplainer(MODEL, ReasonTexts.standard(), 4)
            .explain(new double[] {9, 0.4, 0.3, 5});
    assertEquals(1.6 * 3, clipped.contributions()[3], 1e-12);
  }

  @Test
  void reasons_areTheLargestRaisingContributions() {
    // Contributions: log_in_amount 2.0, pass_through 1.1·2 = 2.2,
    // cross_bank_in_share −0.4·(−1.5) = 0.6 (low), linked_risk 1.6·(−0.5) = −0.8.
    Explanation e =
        new DecisionExplainer(MODEL, ReasonTexts.standard(), 2)
            .explain(new double[] {14, 0.9, 0.0, 0.0});
    assertEquals(2, e.reasons().size());
    Reason first = e.reasons().get(0);
    assertEquals(1, first.rank());
    assertEquals("pass_through", first.feature());
    assertEquals(Direction.HIGH, first.direction());
    assertEquals("轉入金額隨即轉出（快進快出）", first.text().zh());
    assertEquals("log_in_amount", e.reasons().get(1).feature());

    List<Reason> all =
        new DecisionExplainer(MODEL, ReasonTexts.standard(), 4)
            .explain(new double[] {14, 0.9, 0.0, 0.0})
            .reasons();
    assertEquals(3, all.size());
    assertEquals(Direction.LOW, all.get(2).direction());
    assertEquals("Small share of money received from other banks", all.get(2).text().en());
  }

  @Test
  void unknownFeature_getsGenericText() {
    ReasonText t = ReasonTexts.standard().reason("night_logins", Direction.HIGH);
    assertEquals("「night_logins」數值偏高", t.zh());
    assertEquals("night_logins is higher than usual", t.en());
  }

  @Test
  void standardTexts_coverEveryModelFeature() {
    // AccountFeatures.NAMES in mpc-node, which depends on this module.
    List<String> names =
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
    ReasonTexts texts = ReasonTexts.standard();
    for (String n : names) {
      assertTrue(texts.covers(n), n);
    }
  }

  @Test
  void tooManyReasons_fails() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DecisionExplainer(MODEL, ReasonTexts.standard(), 5));
    assertEquals("reasons per decision must be 1..4, got 5", e.getMessage());
  }
}
