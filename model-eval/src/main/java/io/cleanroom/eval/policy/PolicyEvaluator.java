package io.cleanroom.eval.policy;

import io.cleanroom.eval.policy.Policy.ChecklistStatus;
import io.cleanroom.eval.policy.Policy.LifecycleStage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a study's evidence against its governance policy, article by article (GOVERNANCE.md).
 * Every check names the numbers that decided it; an article's verdict is its worst check's, and any
 * FAIL blocks the model's release. Article 13's items (data quality, model quality, system
 * security, fairness, sustainability, transparency, explainability) summarise the checks of the
 * other articles that cover them.
 */
public final class PolicyEvaluator {

  private static final Map<String, List<String>> ARTICLE_13_ITEMS = article13Items();

  private final Policy policy;
  private final Evidence evidence;

  private PolicyEvaluator(Policy policy, Evidence evidence) {
    this.policy = policy;
    this.evidence = evidence;
  }

  /** The verdict on every article. */
  public static Assessment evaluate(Policy policy, Evidence evidence) {
    return new PolicyEvaluator(policy, evidence).assess();
  }

  private Assessment assess() {
    SecurityChecks security = new SecurityChecks(policy, evidence);
    List<ArticleResult> out = new ArrayList<>();
    out.add(ArticleResult.of(Article.A3, article3()));
    out.add(ArticleResult.of(Article.A5, security.article5()));
    out.add(ArticleResult.of(Article.A6, new FairnessChecks(policy, evidence).article6()));
    out.add(ArticleResult.of(Article.A7, new TrainingChecks(policy, evidence).article7()));
    out.add(ArticleResult.of(Article.A8, security.article8()));
    out.add(ArticleResult.of(Article.A10, security.article10()));
    out.add(ArticleResult.of(Article.A12, article12()));
    out.add(ArticleResult.of(Article.A13, article13(out)));
    out.add(ArticleResult.of(Article.A15, article15()));
    return new Assessment(out);
  }

  private List<Check> article3() {
    Policy.Risk r = policy.risk();
    return List.of(
        Check.of(
            "3.risk_assessment",
            Verdict.PASS,
            "tier, lifecycle stage and reasons stated in the policy",
            "tier "
                + Policy.label(r.tier())
                + ", stage "
                + Policy.label(r.lifecycleStage())
                + ": "
                + String.join("; ", r.reasons())));
  }

  private List<Check> article12() {
    boolean developing = policy.risk().lifecycleStage() == LifecycleStage.DEVELOPMENT;
    List<Check> out = new ArrayList<>();
    policy
        .preLaunch()
        .forEach(
            (item, status) -> {
              Verdict v =
                  status != ChecklistStatus.PENDING
                      ? Verdict.PASS
                      : developing ? Verdict.WARN : Verdict.FAIL;
              out.add(
                  Check.of(
                      "12." + item,
                      v,
                      "done before pre-launch",
                      Policy.label(status)
                          + " (stage "
                          + Policy.label(policy.risk().lifecycleStage())
                          + ")"));
            });
    return out;
  }

  private static List<Check> article13(List<ArticleResult> earlier) {
    List<Check> out = new ArrayList<>();
    ARTICLE_13_ITEMS.forEach(
        (item, prefixes) -> {
          Verdict v = Verdict.PASS;
          int n = 0;
          List<String> flagged = new ArrayList<>();
          for (ArticleResult a : earlier) {
            for (Check c : a.checks()) {
              if (prefixes.stream().anyMatch(c.id()::startsWith)) {
                n++;
                v = v.and(c.verdict());
                if (c.verdict() != Verdict.PASS) {
                  flagged.add(c.id() + " " + c.verdict());
                }
              }
            }
          }
          String detail =
              n == 0
                  ? "no checks"
                  : n
                      + " checks"
                      + (flagged.isEmpty() ? ", all pass" : ": " + String.join(", ", flagged));
          out.add(
              Check.of(
                  "13." + item,
                  n == 0 ? Verdict.FAIL : v,
                  "worst of the checks under " + String.join(", ", prefixes),
                  detail));
        });
    return out;
  }

  private List<Check> article15() {
    return List.of(
        Check.of(
            "15.audit_recipients",
            Verdict.PASS,
            "machine-readable report sent to internal control and audit",
            "recipients: " + String.join(", ", policy.audit().recipients())));
  }

  private static Map<String, List<String>> article13Items() {
    Map<String, List<String>> items = new LinkedHashMap<>();
    items.put("data_quality", List.of("7.data_quality"));
    items.put("model_quality", List.of("7.validation"));
    items.put("system_security", List.of("5.", "8."));
    items.put("fairness", List.of("6."));
    items.put("sustainability", List.of("7.monitoring"));
    items.put("transparency", List.of("10."));
    items.put("explainability", List.of("7.explainability"));
    return items;
  }
}
