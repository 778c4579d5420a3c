package io.cleanroom.eval;

import io.cleanroom.eval.explain.ContributionStatistic;
import io.cleanroom.eval.explain.ReasonTexts;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProxyStatistic;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.monitoring.AlertRateDrift;
import io.cleanroom.eval.monitoring.DistributionStatistic;
import io.cleanroom.eval.monitoring.StabilityIndex;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.quality.DataQualityCheck;
import io.cleanroom.eval.quality.DataQualityCounts;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.sum.Summable;
import io.cleanroom.eval.validation.ScoreHistogram;
import io.cleanroom.eval.validation.ValidationResult;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole study's evidence from {@link Synthetic}'s three banks, as the integration would assemble
 * it: every statistic summed over the banks, a consortium PKI, traffic, signed destruction receipts
 * and a protocol log summary.
 */
public final class StudyFixture {

  public static final String STUDY = "study-1";
  public static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");
  public static final double THRESHOLD = 0.5;
  private static final Confidence C95 = new Confidence(0.95);

  public final List<ScoredRows> banks = Synthetic.banks();
  public final LogisticModel model = Synthetic.model();
  public final TlsMaterial ca;
  public final List<TlsMaterial> nodes = new ArrayList<>();
  public final X509Certificate coordinator;

  /** A day after the certificates were issued. */
  public final Instant asOf;

  /** Creates the consortium's certificates under {@code dir}. */
  public StudyFixture(Path dir) throws Exception {
    ConsortiumPki.init(dir, BANKS, List.of());
    for (String b : BANKS) {
      nodes.add(TlsMaterial.loadDir(dir.resolve(b)));
    }
    ca = nodes.get(0);
    coordinator = TlsMaterial.loadDir(dir.resolve(ConsortiumPki.COORDINATOR)).certificate();
    asOf = ca.certificate().getNotBefore().toInstant().plus(Duration.ofDays(1));
  }

  /** Sums a statistic over the three banks. */
  public <R> R summed(Summable<R> s) {
    return s.fromTotals(Synthetic.sum(banks.stream().map(s::local).toList()));
  }

  public ValidationResult validation() {
    return summed(new ScoreHistogram(ScoreHistogram.DEFAULT_BINS, 0.01, C95));
  }

  /**
   * A builder with every piece of evidence. Alerts are scores of at least {@value #THRESHOLD}: the
   * synthetic banks are too small for a 1% budget's alerts to fill the cells. The later window is
   * bank-a's and bank-b's rows.
   */
  public Evidence.Builder evidence() throws Exception {
    Map<String, DataQualityCounts> quality = new LinkedHashMap<>();
    DataQualityCheck check = DataQualityCheck.standard(model.features());
    for (int k = 0; k < BANKS.size(); k++) {
      quality.put(BANKS.get(k), check.fromTotals(check.local(banks.get(k))));
    }
    FairnessStatistic fairness = new FairnessStatistic(Synthetic.attributes(), THRESHOLD, 10, C95);
    DistributionStatistic distribution = new DistributionStatistic(model, 1000);
    ScoredRows later = ScoredRows.concat(banks.subList(0, 2));
    FairnessResult trainingFairness = summed(fairness);
    return Evidence.builder(STUDY, BANKS, asOf, model)
        .dataQuality(quality)
        .validation(validation())
        .fairness(trainingFairness, summed(new ProxyStatistic(model, Synthetic.attributes(), 10)))
        .explanation(summed(new ContributionStatistic(model)), BANKS, ReasonTexts.standard())
        .monitoring(
            StabilityIndex.compare(
                summed(distribution), distribution.fromTotals(distribution.local(later))),
            AlertRateDrift.compare(
                trainingFairness, fairness.fromTotals(fairness.local(later)), C95))
        .security(security(receipts(STUDY)))
        .records(
            new Evidence.Records(
                42,
                3,
                true,
                "9f2c0e",
                "1 study-opened study-1\n2 node-acknowledged bank-a",
                "{\"class-name\": \"org.tribuo.classification.sgd.linear.LinearSGDModel\"}"));
  }

  public Evidence.Security security(List<DestructionReceipt> receipts) {
    List<X509Certificate> certs = new ArrayList<>();
    for (TlsMaterial n : nodes) {
      certs.add(n.certificate());
    }
    certs.add(coordinator);
    return new Evidence.Security(
        "Semi-honest banks; the coordinator does not collude with a bank.",
        "A bank learns its own inputs and outputs and the aggregates; <nobody> learns another"
            + " bank's rows.",
        ca.ca(),
        certs,
        true,
        "AES-256-GCM",
        List.of(
            new Evidence.Traffic("bank-a", "evaluate", 160_000, 12),
            new Evidence.Traffic("coordinator", "evaluate", 2_000, 4)),
        receipts);
  }

  /** Every bank's signed receipt for {@code study}. */
  public List<DestructionReceipt> receipts(String study) throws Exception {
    List<DestructionReceipt> out = new ArrayList<>();
    for (TlsMaterial n : nodes) {
      out.add(
          new DestructionReceipt.Unsigned(study, 4, 1024, "ab".repeat(32), asOf.toEpochMilli())
              .sign(n));
    }
    return out;
  }
}
