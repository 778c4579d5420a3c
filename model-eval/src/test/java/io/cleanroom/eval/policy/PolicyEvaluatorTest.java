package io.cleanroom.eval.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.StudyFixture;
import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProtectedAttribute;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.validation.ScoreHistogram;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEvaluatorTest {

  private static final Confidence C95 = new Confidence(0.95);

  @TempDir static Path pki;
  private static StudyFixture study;

  @BeforeAll
  static void consortium() throws Exception {
    study = new StudyFixture(pki);
  }

  /** The default policy with thresholds the small synthetic study meets. */
  static Policy lenient(String... replacements) {
    String yaml = new String(PolicyReader.defaultPolicyBytes(), StandardCharsets.UTF_8);
    String[] relax = {
      "demographic_parity_difference: {max: 0.05, warn: 0.02}",
          "demographic_parity_difference: {max: 1}",
      "disparate_impact: {min: 0.8}", "disparate_impact: {min: 0}",
      "fpr_ratio: {min: 0.8}", "fpr_ratio: {min: 0}",
      "fdr_ratio: {min: 0.8}", "fdr_ratio: {min: 0}",
      "equalized_odds_difference: {max: 0.1}", "equalized_odds_difference: {max: 1}",
      "proxy_correlation: {max: 0.5, warn: 0.3}", "proxy_correlation: {max: 1}",
      "recall_at_budget: {min: 0.2, warn: 0.3}", "recall_at_budget: {min: 0}",
      "auc: {min: 0.75, warn: 0.8}", "auc: {min: 0.6}",
      "average_precision: {min: 0.1, warn: 0.2}", "average_precision: {min: 0}",
      "psi: {max: 0.25, warn: 0.1}", "psi: {max: 10}",
      "alert_rate_change: {max: 2.0, warn: 1.5}", "alert_rate_change: {max: 100}"
    };
    for (int i = 0; i < relax.length; i += 2) {
      yaml = yaml.replace(relax[i], relax[i + 1]);
    }
    for (int i = 0; i < replacements.length; i += 2) {
      yaml = yaml.replace(replacements[i], replacements[i + 1]);
    }
    return PolicyReader.parse("lenient.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Check> failures(Assessment a) {
    return a.articles().stream()
        .flatMap(r -> r.checks().stream())
        .filter(c -> c.verdict() == Verdict.FAIL)
        .toList();
  }

  private static Check check(Assessment a, String id) {
    for (ArticleResult r : a.articles()) {
      for (Check c : r.checks()) {
        if (c.id().equals(id)) {
          return c;
        }
      }
    }
    throw new AssertionError("no check " + id);
  }

  @Test
  void completeEvidence_underALenientPolicy_isNotBlocked() throws Exception {
    Assessment a = PolicyEvaluator.evaluate(lenient(), study.evidence().build());
    assertFalse(a.releaseBlocked(), failures(a).toString());
    assertEquals(Verdict.PASS, a.article(Article.A5).verdict());
    assertEquals(Verdict.PASS, a.article(Article.A8).verdict());
    assertEquals(Verdict.PASS, a.article(Article.A10).verdict());
    // Pending pre-launch items warn while the model is in development.
    assertEquals(Verdict.WARN, a.article(Article.A12).verdict());
    assertEquals("pending (stage development)", check(a, "12.security").detail());
    assertEquals("3 of 3 receipts verified", check(a, "5.destruction").detail());
    assertEquals(
        List.of(3, 5, 6, 7, 8, 10, 12, 13, 15),
        a.articles().stream().map(r -> r.article().number()).toList());
  }

  @Test
  void pendingChecklist_failsFromPreLaunchOn() throws Exception {
    Policy p = lenient("lifecycle_stage: development", "lifecycle_stage: pre-launch");
    Assessment a = PolicyEvaluator.evaluate(p, study.evidence().build());
    assertEquals(Verdict.FAIL, check(a, "12.incident_response").verdict());
    assertTrue(a.releaseBlocked());
  }

  @Test
  void protectedAttributeAsFeature_isForbidden() throws Exception {
    LogisticModel m = Synthetic.model();
    List<String> features = new ArrayList<>(m.features());
    features.set(2, "Gender_F");
    LogisticModel withGender =
        new LogisticModel(features, m.means(), m.stds(), 3, m.weights(), m.intercept());
    var evidence =
        Evidence.builder(StudyFixture.STUDY, StudyFixture.BANKS, study.asOf, withGender).build();
    Check c = check(PolicyEvaluator.evaluate(lenient(), evidence), "6.protected_features");
    assertEquals(Verdict.FAIL, c.verdict());
    assertEquals("protected attributes used: Gender_F", c.detail());
  }

  @Test
  void disparateImpact_belowFourFifths_fails_andUncertain_warns() throws Exception {
    Policy p = lenient("disparate_impact: {min: 0}", "disparate_impact: {min: 0.8}");
    var statistic = new FairnessStatistic(List.of(ProtectedAttribute.gender()), 0.5, 10, C95);
    // Alert rates F 0.2, M 0.1: ratio 0.5, its interval wholly below 0.8.
    var unfair =
        statistic.fromTotals(new long[] {1000, 200, 100, 80, 2000, 200, 200, 100, 5, 1, 1, 1});
    Check fail =
        check(
            PolicyEvaluator.evaluate(p, study.evidence().fairness(unfair, null).build()),
            "6.gender.disparate_impact");
    assertEquals(Verdict.FAIL, fail.verdict());
    assertEquals(0.5, fail.value(), 1e-12);
    assertEquals(0.41734296738782506, fail.interval().low(), 1e-9);
    assertEquals("≥ 0.8", fail.rule());
    // The same rates on a tenth of the accounts: ratio 0.5, but the interval reaches above 0.8.
    var small = statistic.fromTotals(new long[] {100, 20, 10, 8, 200, 20, 20, 10, 5, 1, 1, 1});
    Check inconclusive =
        check(
            PolicyEvaluator.evaluate(p, study.evidence().fairness(small, null).build()),
            "6.gender.disparate_impact");
    assertEquals(Verdict.WARN, inconclusive.verdict());
    assertEquals(0.28236069472527214, inconclusive.interval().low(), 1e-9);
    assertTrue(inconclusive.detail().contains("inconclusive"), inconclusive.detail());
    // Alert rates F 0.2, M 0.18: ratio 0.9, but the interval reaches below 0.8.
    var close = statistic.fromTotals(new long[] {100, 20, 10, 8, 200, 36, 20, 10, 5, 1, 1, 1});
    Check warn =
        check(
            PolicyEvaluator.evaluate(p, study.evidence().fairness(close, null).build()),
            "6.gender.disparate_impact");
    assertEquals(Verdict.WARN, warn.verdict());
    assertEquals(0.9, warn.value(), 1e-12);
  }

  @Test
  void scoresUnrelatedToLabels_failValidation() throws Exception {
    var h = new ScoreHistogram(ScoreHistogram.DEFAULT_BINS, 0.01, C95);
    var banks = Synthetic.banks();
    long[] own = h.local(banks.get(0));
    // Mirror the normal accounts' scores, so that high scores no longer mean alert accounts.
    long[] shuffled = own.clone();
    int bins = ScoreHistogram.DEFAULT_BINS;
    for (int b = 0; b < bins; b++) {
      shuffled[b] = own[bins - 1 - b];
    }
    var evidence = study.evidence().validation(h.fromTotals(shuffled)).build();
    Check auc = check(PolicyEvaluator.evaluate(lenient(), evidence), "7.validation.auc");
    assertEquals(Verdict.FAIL, auc.verdict());
    assertTrue(auc.value() < 0.75, String.valueOf(auc.value()));
  }

  @Test
  void evidenceAtAnotherBudget_fails() throws Exception {
    var v = new ScoreHistogram(ScoreHistogram.DEFAULT_BINS, 0.05, C95);
    var evidence = study.evidence().validation(study.summed(v)).build();
    Check c = check(PolicyEvaluator.evaluate(lenient(), evidence), "7.validation.recall_at_budget");
    assertEquals(Verdict.FAIL, c.verdict());
    assertEquals("evidence computed at alert budget 0.05", c.detail());
  }

  @Test
  void destructionReceipts_pendingMissingOrForged() throws Exception {
    Policy p = lenient();
    var pending = study.evidence().security(study.security(null)).build();
    assertEquals(
        Verdict.WARN, check(PolicyEvaluator.evaluate(p, pending), "5.destruction").verdict());

    List<DestructionReceipt> receipts = new ArrayList<>(study.receipts(StudyFixture.STUDY));
    DestructionReceipt a = receipts.get(0);
    receipts.set(
        1,
        new DestructionReceipt(
            a.studyId(),
            "bank-b",
            a.files(),
            a.bytes(),
            a.listingSha256(),
            a.destroyedAtMillis(),
            a.signature()));
    receipts.remove(2);
    var forged = study.evidence().security(study.security(receipts)).build();
    Check c = check(PolicyEvaluator.evaluate(p, forged), "5.destruction");
    assertEquals(Verdict.FAIL, c.verdict());
    assertTrue(c.detail().startsWith("bank-b: receipt does not verify"), c.detail());
    assertTrue(c.detail().endsWith("bank-c: no receipt"), c.detail());

    var otherStudy = study.evidence().security(study.security(study.receipts("study-2"))).build();
    assertEquals(
        "bank-a: receipt is for study study-2",
        check(PolicyEvaluator.evaluate(p, otherStudy), "5.destruction").detail().split("; ")[0]);
  }

  @Test
  void expiredCertificates_fail() throws Exception {
    var evidence =
        Evidence.builder(
                StudyFixture.STUDY,
                StudyFixture.BANKS,
                Instant.parse("2040-01-01T00:00:00Z"),
                Synthetic.model())
            .security(study.security(null))
            .build();
    Check c = check(PolicyEvaluator.evaluate(lenient(), evidence), "5.certificates");
    assertEquals(Verdict.FAIL, c.verdict());
    assertTrue(c.detail().startsWith("bank-a: "), c.detail());
  }

  @Test
  void missingEvidence_failsEveryArticleThatNeedsIt() {
    var evidence =
        Evidence.builder(StudyFixture.STUDY, StudyFixture.BANKS, study.asOf, Synthetic.model())
            .build();
    Assessment a = PolicyEvaluator.evaluate(lenient(), evidence);
    assertTrue(a.releaseBlocked());
    for (String id :
        List.of(
            "5.security",
            "6.fairness",
            "6.proxy",
            "7.data_quality",
            "7.validation",
            "8.security",
            "10.records")) {
      assertEquals(Verdict.FAIL, check(a, id).verdict(), id);
    }
    assertEquals(Verdict.FAIL, check(a, "13.fairness").verdict());
    assertEquals(Verdict.FAIL, check(a, "7.explainability.per_decision").verdict());
    // No later window before operation: monitoring does not apply yet.
    assertEquals(Verdict.PASS, check(a, "7.monitoring").verdict());
    assertEquals(Verdict.PASS, a.article(Article.A3).verdict());
  }

  @Test
  void operationWithoutALaterWindow_fails() {
    Policy p = lenient("lifecycle_stage: development", "lifecycle_stage: operation");
    var evidence =
        Evidence.builder(StudyFixture.STUDY, StudyFixture.BANKS, study.asOf, Synthetic.model())
            .build();
    Assessment a = PolicyEvaluator.evaluate(p, evidence);
    assertEquals(Verdict.FAIL, check(a, "7.monitoring.psi").verdict());
    assertEquals(Verdict.FAIL, check(a, "13.sustainability").verdict());
  }

  @Test
  void article13_summarisesTheOtherArticles() throws Exception {
    Policy p = lenient("psi: {max: 10}", "psi: {max: 0.0001}");
    Assessment a = PolicyEvaluator.evaluate(p, study.evidence().build());
    Check sustainability = check(a, "13.sustainability");
    assertEquals(Verdict.FAIL, sustainability.verdict());
    assertTrue(
        sustainability.detail().contains("7.monitoring.psi.score FAIL"), sustainability.detail());
    assertEquals(Verdict.PASS, check(a, "13.transparency").verdict());
  }
}
