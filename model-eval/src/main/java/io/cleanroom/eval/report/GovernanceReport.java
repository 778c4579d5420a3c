package io.cleanroom.eval.report;

import io.cleanroom.eval.policy.Assessment;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.policy.Policy;
import io.cleanroom.eval.policy.PolicyEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A study's governance report: the policy, the evidence and the policy's assessment of it. {@link
 * #write} produces {@code report.json} and {@code report.html}; the digest of {@code report.json}
 * is what the coordinator logs.
 */
public record GovernanceReport(Policy policy, Evidence evidence, Assessment assessment) {

  public static final String JSON_FILE = "report.json";
  public static final String HTML_FILE = "report.html";

  /** The report of {@code evidence} under {@code policy}. */
  public static GovernanceReport of(Policy policy, Evidence evidence) {
    return new GovernanceReport(policy, evidence, PolicyEvaluator.evaluate(policy, evidence));
  }

  /** The bytes of {@code report.json}. */
  public byte[] json() {
    return ReportJson.bytes(this);
  }

  /** Hex SHA-256 of {@code report.json}'s bytes. */
  public String digest() {
    return sha256(json());
  }

  /**
   * Writes {@code report.json} and {@code report.html} into {@code dir}.
   *
   * @return hex SHA-256 of the {@code report.json} written
   */
  public String write(Path dir) throws IOException {
    byte[] json = json();
    String digest = sha256(json);
    Files.createDirectories(dir);
    Files.write(dir.resolve(JSON_FILE), json);
    Files.writeString(dir.resolve(HTML_FILE), ReportHtml.render(this, digest));
    return digest;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
