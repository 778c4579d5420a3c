package io.cleanroom.eval.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.eval.policy.Policy.ChecklistStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyReaderTest {

  private static final String DEFAULT =
      new String(PolicyReader.defaultPolicyBytes(), StandardCharsets.UTF_8);

  @Test
  void defaultPolicy_hasTheDocumentedThresholds() {
    Policy p = PolicyReader.defaultPolicy();
    assertEquals(1, p.version());
    assertEquals(Policy.RiskTier.HIGH, p.risk().tier());
    assertEquals(Policy.LifecycleStage.DEVELOPMENT, p.risk().lifecycleStage());
    assertEquals(Policy.FeatureUse.FORBIDDEN, p.protectedAttributes().asFeatures());
    assertEquals(10, p.fairness().cellSizeFloor());
    assertEquals(0.95, p.fairness().confidenceLevel());
    assertEquals(Bound.min(0.8), p.fairness().disparateImpact());
    assertEquals(Bound.min(0.8), p.fairness().fprRatio());
    assertEquals(Bound.max(0.1), p.fairness().equalizedOddsDifference());
    assertEquals(Bound.min(0.75).warnAt(0.8), p.validation().auc());
    assertEquals(0.01, p.validation().alertBudget());
    assertEquals(Bound.max(0.25).warnAt(0.1), p.monitoring().psi());
    assertEquals(4, p.explainability().maxReasons());
    assertEquals(true, p.destruction().required());
    assertEquals(Policy.PRE_LAUNCH_ITEMS, List.copyOf(p.preLaunch().keySet()));
    assertEquals(ChecklistStatus.PENDING, p.preLaunch().get("incident_response"));
    assertEquals(64, p.sha256().length());
  }

  @Test
  void unknownKey_namesKeyAndLine() {
    String yaml =
        replace("  fpr_ratio: {min: 0.8}", "  fpr_ratio: {min: 0.8}\n  fpr_ration: {min: 0.8}");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "fpr_ration")
            + ": fairness.fpr_ration: unknown key (expected one of cell_size_floor, confidence_level,"
            + " demographic_parity_difference, disparate_impact, fpr_ratio, fdr_ratio,"
            + " equalized_odds_difference, proxy_correlation)");
  }

  @Test
  void numberOutOfRange_namesKeyAndLine() {
    String yaml = replace("auc: {min: 0.75, warn: 0.8}", "auc: {min: 7.5, warn: 0.8}");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "auc: {min: 7.5")
            + ": validation.auc.min: must be between 0 and 1, got 7.5");
  }

  @Test
  void wrongType_namesKeyAndLine() {
    String yaml = replace("cell_size_floor: 10", "cell_size_floor: ten");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "cell_size_floor")
            + ": fairness.cell_size_floor: must be a whole number, got 'ten'");
  }

  @Test
  void missingKey_namesItsMap() {
    String yaml = replace("  fdr_ratio: {min: 0.8}\n", "");
    assertError(
        yaml,
        "policy.yaml, line " + lineOf(yaml, "fairness:") + ": fairness: missing key fdr_ratio");
  }

  @Test
  void unknownEnumValue_listsTheChoices() {
    String yaml = replace("tier: high", "tier: extreme");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "tier:")
            + ": risk.tier: must be one of high, medium, low, got 'extreme'");
  }

  @Test
  void warnOutsideTheLimit_fails() {
    String yaml =
        replace("disparate_impact: {min: 0.8}", "disparate_impact: {min: 0.8, warn: 0.7}");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "disparate_impact:")
            + ": fairness.disparate_impact: warn 0.7 is below min 0.8: the warning level must lie"
            + " inside the limit");
  }

  @Test
  void upperLimitOnALowerBoundMetric_fails() {
    String yaml = replace("disparate_impact: {min: 0.8}", "disparate_impact: {max: 0.8}");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "disparate_impact:")
            + ": fairness.disparate_impact: needs min (higher is better)");
  }

  @Test
  void justifiedWithoutJustification_fails() {
    String yaml = replace("as_features: forbidden", "as_features: justified");
    assertError(
        yaml,
        "policy.yaml, line "
            + lineOf(yaml, "justification:")
            + ": protected_attributes.justification: must say why, since as_features is justified");
  }

  @Test
  void duplicateKey_fails() {
    String yaml =
        replace(
            "destruction:\n  required: true", "destruction:\n  required: true\n  required: false");
    assertError(
        yaml,
        "policy.yaml, line "
            + (lineOf(yaml, "required: false"))
            + ": destruction.required: given twice");
  }

  @Test
  void invalidYaml_givesTheLine() {
    var e =
        assertThrows(
            PolicyException.class,
            () ->
                PolicyReader.parse(
                    "bad.yaml", "version: 1\nrisk: [\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(true, e.getMessage().startsWith("bad.yaml, line "), e.getMessage());
    assertEquals(true, e.getMessage().contains("not valid YAML"), e.getMessage());
  }

  @Test
  void unsupportedVersion_fails() {
    assertError(
        replace("version: 1", "version: 2"),
        "policy.yaml, line "
            + lineOf(DEFAULT, "version: 1")
            + ": version: unsupported version 2, expected 1");
  }

  private static String replace(String from, String to) {
    if (!DEFAULT.contains(from)) {
      throw new AssertionError("default policy has no " + from);
    }
    return DEFAULT.replace(from, to);
  }

  private static int lineOf(String yaml, String text) {
    List<String> lines = yaml.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text) && !lines.get(i).trim().startsWith("#")) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  private static void assertError(String yaml, String message) {
    var e =
        assertThrows(
            PolicyException.class,
            () -> PolicyReader.parse("policy.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    assertEquals(message, e.getMessage());
  }
}
