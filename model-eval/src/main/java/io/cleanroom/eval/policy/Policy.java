package io.cleanroom.eval.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study's governance policy, as read from YAML by {@link PolicyReader}. Every key is required, so
 * that the file alone states every threshold the study was held to; {@code default-policy.yaml}
 * documents each one.
 *
 * @param version the policy format's version, 1
 * @param risk article 3: the study's risk tier, lifecycle stage and reasons
 * @param protectedAttributes article 6: whether protected attributes may be model features
 * @param fairness article 6: group-fairness and proxy thresholds
 * @param dataQuality article 7: limits on missing and out-of-range values per bank
 * @param validation article 7: limits on AUC, average precision and recall at the alert budget
 * @param explainability article 7: reasons per decision and whether per-decision explanations are
 *     required
 * @param monitoring articles 7 and 13: PSI and alert-rate drift limits
 * @param security articles 5 and 8: mutual TLS and session-store encryption
 * @param destruction article 5: whether every bank's destruction receipt is required
 * @param records article 10: signed log checkpoints and model provenance
 * @param preLaunch article 12: the pre-launch checklist, item to status
 * @param audit article 15: who receives the report for internal control and audit
 * @param sha256 hex SHA-256 of the policy file's bytes, recorded in the report
 */
public record Policy(
    int version,
    Risk risk,
    ProtectedAttributes protectedAttributes,
    Fairness fairness,
    DataQuality dataQuality,
    Validation validation,
    Explainability explainability,
    Monitoring monitoring,
    Security security,
    Destruction destruction,
    Records records,
    Map<String, ChecklistStatus> preLaunch,
    Audit audit,
    String sha256) {

  /** The items of the article 12 pre-launch checklist, in order. */
  public static final List<String> PRE_LAUNCH_ITEMS =
      List.of(
          "data_governance", "security", "supervision", "consumer_protection", "incident_response");

  public Policy {
    preLaunch = Collections.unmodifiableMap(new LinkedHashMap<>(preLaunch));
  }

  /** How a value of the policy's enums is spelled in YAML and JSON: {@code pre-launch}. */
  public static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Risk tier of an AI use that affects customers. */
  public enum RiskTier {
    HIGH,
    MEDIUM,
    LOW
  }

  /** Where the model is in its lifecycle. */
  public enum LifecycleStage {
    DEVELOPMENT,
    PRE_LAUNCH,
    OPERATION
  }

  /** Whether protected attributes may be model features. */
  public enum FeatureUse {
    /** No feature may be a protected attribute. */
    FORBIDDEN,
    /** Allowed with a written justification. */
    JUSTIFIED,
    /** Allowed. */
    ALLOWED
  }

  /** The status of a pre-launch checklist item. */
  public enum ChecklistStatus {
    DONE,
    PENDING,
    NOT_APPLICABLE
  }

  /** Article 3. */
  public record Risk(RiskTier tier, LifecycleStage lifecycleStage, List<String> reasons) {
    public Risk {
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * Article 6: a feature is protected when its name equals a listed name or starts with it and an
   * underscore (e.g. {@code gender_f}), ignoring case.
   */
  public record ProtectedAttributes(
      FeatureUse asFeatures, List<String> names, String justification) {
    public ProtectedAttributes {
      names = List.copyOf(names);
    }
  }

  /** Article 6. */
  public record Fairness(
      int cellSizeFloor,
      double confidenceLevel,
      Bound demographicParityDifference,
      Bound disparateImpact,
      Bound fprRatio,
      Bound fdrRatio,
      Bound equalizedOddsDifference,
      Bound proxyCorrelation) {

    /** The bound of a disparity metric by its name in {@code AttributeFairness}. */
    public Bound bound(String metric) {
      return switch (metric) {
        case "demographic_parity_difference" -> demographicParityDifference;
        case "disparate_impact" -> disparateImpact;
        case "fpr_ratio" -> fprRatio;
        case "fdr_ratio" -> fdrRatio;
        case "equalized_odds_difference" -> equalizedOddsDifference;
        default -> throw new IllegalArgumentException("no fairness metric " + metric);
      };
    }
  }

  /** Article 7: shares of a bank's rows. */
  public record DataQuality(Bound missingShare, Bound outOfRangeShare) {}

  /** Article 7. */
  public record Validation(
      Bound auc, Bound averagePrecision, double alertBudget, Bound recallAtBudget) {}

  /** Article 7. */
  public record Explainability(int maxReasons, boolean perDecisionRequired) {}

  /** Articles 7 and 13. */
  public record Monitoring(Bound psi, Bound alertRateChange) {}

  /** Articles 5 and 8. */
  public record Security(boolean mutualTlsRequired, boolean sessionStoreEncryptionRequired) {}

  /** Article 5. */
  public record Destruction(boolean required) {}

  /** Article 10. */
  public record Records(boolean signedCheckpointsRequired, boolean modelProvenanceRequired) {}

  /** Article 15. */
  public record Audit(List<String> recipients) {
    public Audit {
      recipients = List.copyOf(recipients);
    }
  }
}
