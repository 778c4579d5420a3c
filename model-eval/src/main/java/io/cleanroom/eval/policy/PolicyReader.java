package io.cleanroom.eval.policy;

import io.cleanroom.eval.policy.Policy.ChecklistStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a governance policy from YAML. Every key of {@code default-policy.yaml} is required and no
 * other key is allowed; an error names the file, the line and the key, e.g. {@code policy.yaml,
 * line 31: validation.auc.min: must be between 0 and 1, got 7.5}.
 */
public final class PolicyReader {
  private PolicyReader() {}

  /** The resource name of the default policy, next to this class. */
  public static final String DEFAULT_RESOURCE = "default-policy.yaml";

  /** The supported policy format version. */
  public static final int VERSION = 1;

  /** The documented default policy shipped with this library. */
  public static Policy defaultPolicy() {
    return parse(DEFAULT_RESOURCE, defaultPolicyBytes());
  }

  /** The bytes of the default policy, for a study to start its own policy from. */
  public static byte[] defaultPolicyBytes() {
    try (InputStream in = PolicyReader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a policy file. */
  public static Policy read(Path file) throws IOException {
    return parse(file.toString(), Files.readAllBytes(file));
  }

  /**
   * Parses a policy.
   *
   * @param source the name used in error messages, e.g. the file name
   * @throws PolicyException if the policy is not valid
   */
  public static Policy parse(String source, byte[] yaml) {
    YamlNode root = YamlNode.parse(source, yaml);
    int version = root.integer("version", 1, Integer.MAX_VALUE);
    if (version != VERSION) {
      throw root.get("version").error("unsupported version " + version + ", expected " + VERSION);
    }
    Policy policy =
        new Policy(
            version,
            root.section("risk", PolicyReader::risk),
            root.section("protected_attributes", PolicyReader::protectedAttributes),
            root.section("fairness", PolicyReader::fairness),
            root.section("data_quality", PolicyReader::dataQuality),
            root.section("validation", PolicyReader::validation),
            root.section("explainability", PolicyReader::explainability),
            root.section("monitoring", PolicyReader::monitoring),
            root.section("security", PolicyReader::security),
            root.section("destruction", PolicyReader::destruction),
            root.section("records", PolicyReader::records),
            root.section("pre_launch", PolicyReader::preLaunch),
            root.section("audit", PolicyReader::audit),
            sha256(yaml));
    root.requireNoOtherKeys();
    return policy;
  }

  private static Policy.Risk risk(YamlNode n) {
    return new Policy.Risk(
        n.choice("tier", Policy.RiskTier.class),
        n.choice("lifecycle_stage", Policy.LifecycleStage.class),
        n.texts("reasons"));
  }

  private static Policy.ProtectedAttributes protectedAttributes(YamlNode n) {
    Policy.FeatureUse use = n.choice("as_features", Policy.FeatureUse.class);
    String justification = n.text("justification");
    if (use == Policy.FeatureUse.JUSTIFIED && justification.isBlank()) {
      throw n.get("justification").error("must say why, since as_features is justified");
    }
    return new Policy.ProtectedAttributes(use, n.texts("names"), justification);
  }

  private static Policy.Fairness fairness(YamlNode n) {
    return new Policy.Fairness(
        n.integer("cell_size_floor", 1, 1_000_000),
        n.number("confidence_level", 0.8, 0.999),
        n.bound("demographic_parity_difference", false, 0, 1),
        n.bound("disparate_impact", true, 0, 1),
        n.bound("fpr_ratio", true, 0, 1),
        n.bound("fdr_ratio", true, 0, 1),
        n.bound("equalized_odds_difference", false, 0, 1),
        n.bound("proxy_correlation", false, 0, 1));
  }

  private static Policy.DataQuality dataQuality(YamlNode n) {
    return new Policy.DataQuality(
        n.bound("missing_share", false, 0, 1), n.bound("out_of_range_share", false, 0, 1));
  }

  private static Policy.Validation validation(YamlNode n) {
    return new Policy.Validation(
        n.bound("auc", true, 0, 1),
        n.bound("average_precision", true, 0, 1),
        n.number("alert_budget", 1e-6, 0.5),
        n.bound("recall_at_budget", true, 0, 1));
  }

  private static Policy.Explainability explainability(YamlNode n) {
    return new Policy.Explainability(
        n.integer("max_reasons", 1, 4), n.flag("per_decision_required"));
  }

  private static Policy.Monitoring monitoring(YamlNode n) {
    return new Policy.Monitoring(
        n.bound("psi", false, 0, 10), n.bound("alert_rate_change", false, 1, 100));
  }

  private static Policy.Security security(YamlNode n) {
    return new Policy.Security(
        n.flag("mutual_tls_required"), n.flag("session_store_encryption_required"));
  }

  private static Policy.Destruction destruction(YamlNode n) {
    return new Policy.Destruction(n.flag("required"));
  }

  private static Policy.Records records(YamlNode n) {
    return new Policy.Records(
        n.flag("signed_checkpoints_required"), n.flag("model_provenance_required"));
  }

  private static Map<String, ChecklistStatus> preLaunch(YamlNode n) {
    Map<String, ChecklistStatus> items = new LinkedHashMap<>();
    for (String item : Policy.PRE_LAUNCH_ITEMS) {
      items.put(item, n.choice(item, ChecklistStatus.class));
    }
    return items;
  }

  private static Policy.Audit audit(YamlNode n) {
    return new Policy.Audit(n.texts("recipients"));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
