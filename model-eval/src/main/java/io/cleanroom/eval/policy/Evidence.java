package io.cleanroom.eval.policy;

import io.cleanroom.eval.explain.GlobalExplanation;
import io.cleanroom.eval.explain.ReasonTexts;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.ProxyCorrelations;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.monitoring.GroupDrift;
import io.cleanroom.eval.monitoring.StabilityReport;
import io.cleanroom.eval.quality.DataQualityCounts;
import io.cleanroom.eval.validation.ValidationResult;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a study's governance report rests on, as the coordinator holds it after the secure
 * sums: aggregates only, never a bank's rows. Built with {@link #builder}; a piece of evidence left
 * out is null, and the policy's checks that need it fail.
 *
 * @param study the study id
 * @param banks the participating banks, in order
 * @param asOf when the evidence was assembled; certificates are checked against it
 * @param model the joint model
 * @param dataQuality per bank, its data-quality counts (reported per bank, not summed)
 * @param validation validation metrics over every bank's accounts
 * @param fairness group fairness of the alerts over every bank's accounts
 * @param proxy correlations of the model inputs with the protected groups
 * @param explanation the model's global explanation
 * @param explanationsDeliveredBy the banks that wrote per-decision explanations of their alerts
 * @param reasonTexts the reason texts the banks' explanations use
 * @param stability PSI between the training and a later window; null without a later window
 * @param alertRateDrift alert-rate drift per group; null without a later window
 * @param security articles 5 and 8: trust model, certificates, traffic, encryption, receipts
 * @param records article 10: the protocol log and the model's provenance
 */
public record Evidence(
    String study,
    List<String> banks,
    Instant asOf,
    LogisticModel model,
    Map<String, DataQualityCounts> dataQuality,
    ValidationResult validation,
    FairnessResult fairness,
    ProxyCorrelations proxy,
    GlobalExplanation explanation,
    List<String> explanationsDeliveredBy,
    ReasonTexts reasonTexts,
    StabilityReport stability,
    List<GroupDrift> alertRateDrift,
    Security security,
    Records records) {

  public Evidence {
    Objects.requireNonNull(study, "study");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(model, "model");
    banks = List.copyOf(banks);
    if (banks.isEmpty()) {
      throw new IllegalArgumentException("evidence needs the participating banks");
    }
    dataQuality =
        dataQuality == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(dataQuality));
    explanationsDeliveredBy =
        explanationsDeliveredBy == null ? null : List.copyOf(explanationsDeliveredBy);
    alertRateDrift = alertRateDrift == null ? null : List.copyOf(alertRateDrift);
  }

  /**
   * Security evidence.
   *
   * @param trustModel who is trusted with what (DESIGN.md §1), as text for the report
   * @param leakageProfile what each party learns (DESIGN.md §5), as text for the report
   * @param ca the consortium CA certificate
   * @param certificates every party's certificate (banks and the coordinator)
   * @param mutualTls whether every channel ran gRPC over mutual TLS
   * @param sessionStoreEncryption how the nodes' session stores are encrypted, e.g. {@code
   *     AES-256-GCM}; null or blank when they are not
   * @param traffic what crossed the wire, per party and phase
   * @param destructionReceipts the banks' signed destruction receipts; null before the study's
   *     destroy step
   */
  public record Security(
      String trustModel,
      String leakageProfile,
      X509Certificate ca,
      List<X509Certificate> certificates,
      boolean mutualTls,
      String sessionStoreEncryption,
      List<Traffic> traffic,
      List<DestructionReceipt> destructionReceipts) {

    public Security {
      certificates = List.copyOf(certificates);
      traffic = List.copyOf(traffic);
      destructionReceipts = destructionReceipts == null ? null : List.copyOf(destructionReceipts);
    }
  }

  /** Bytes and messages one party sent in one phase of the study. */
  public record Traffic(String party, String phase, long bytesSent, long messages) {}

  /**
   * Article 10 evidence.
   *
   * @param logEntries entries in the study's protocol log
   * @param signedCheckpoints signed checkpoints of the log
   * @param chainVerified whether the hash chain and checkpoints verified
   * @param headHash the hash of the log's latest entry, hex
   * @param logHead the first entries of the log as text, for the report
   * @param modelProvenance the model's provenance (Tribuo provenance as JSON), or null
   */
  public record Records(
      long logEntries,
      long signedCheckpoints,
      boolean chainVerified,
      String headHash,
      String logHead,
      String modelProvenance) {}

  /** A builder with the study, its banks, the time and the model. */
  public static Builder builder(
      String study, List<String> banks, Instant asOf, LogisticModel model) {
    return new Builder(study, banks, asOf, model);
  }

  /** Collects the evidence as the study produces it. */
  public static final class Builder {
    private final String study;
    private final List<String> banks;
    private final Instant asOf;
    private final LogisticModel model;
    private Map<String, DataQualityCounts> dataQuality;
    private ValidationResult validation;
    private FairnessResult fairness;
    private ProxyCorrelations proxy;
    private GlobalExplanation explanation;
    private List<String> explanationsDeliveredBy;
    private ReasonTexts reasonTexts = ReasonTexts.standard();
    private StabilityReport stability;
    private List<GroupDrift> alertRateDrift;
    private Security security;
    private Records records;

    private Builder(String study, List<String> banks, Instant asOf, LogisticModel model) {
      this.study = study;
      this.banks = banks;
      this.asOf = asOf;
      this.model = model;
    }

    public Builder dataQuality(Map<String, DataQualityCounts> perBank) {
      this.dataQuality = perBank;
      return this;
    }

    public Builder validation(ValidationResult validation) {
      this.validation = validation;
      return this;
    }

    public Builder fairness(FairnessResult fairness, ProxyCorrelations proxy) {
      this.fairness = fairness;
      this.proxy = proxy;
      return this;
    }

    public Builder explanation(
        GlobalExplanation explanation, List<String> deliveredBy, ReasonTexts reasonTexts) {
      this.explanation = explanation;
      this.explanationsDeliveredBy = deliveredBy;
      this.reasonTexts = reasonTexts;
      return this;
    }

    public Builder monitoring(StabilityReport stability, List<GroupDrift> alertRateDrift) {
      this.stability = stability;
      this.alertRateDrift = alertRateDrift;
      return this;
    }

    public Builder security(Security security) {
      this.security = security;
      return this;
    }

    public Builder records(Records records) {
      this.records = records;
      return this;
    }

    public Evidence build() {
      return new Evidence(
          study,
          banks,
          asOf,
          model,
          dataQuality,
          validation,
          fairness,
          proxy,
          explanation,
          explanationsDeliveredBy,
          reasonTexts,
          stability,
          alertRateDrift,
          security,
          records);
    }
  }
}
