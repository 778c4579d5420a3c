package io.cleanroom.coordinator.study;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.eval.explain.ContributionStatistic;
import io.cleanroom.eval.explain.ReasonTexts;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProxyStatistic;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.policy.ArticleResult;
import io.cleanroom.eval.policy.Assessment;
import io.cleanroom.eval.policy.Check;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.policy.Verdict;
import io.cleanroom.eval.quality.DataQualityCheck;
import io.cleanroom.eval.quality.DataQualityCounts;
import io.cleanroom.eval.report.GovernanceReport;
import io.cleanroom.eval.study.StudyEvaluation;
import io.cleanroom.eval.sum.Summable;
import io.cleanroom.eval.validation.ScoreHistogram;
import io.cleanroom.eval.validation.ValidationResult;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.wire.v1.OpenedModel;
import io.cleanroom.protocol.wire.v1.OpenedVector;
import io.cleanroom.protocol.wire.v1.ReportSummary;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The coordinator's side of a study's governance report: it reads the totals the evaluate phase
 * opened with the same evaluators the banks summed ({@link StudyEvaluation}), and assembles the
 * evidence. The coordinator sees only what the banks opened to it: totals over all banks, each
 * bank's own data-quality counts and the joint model; never a bank's rows, scores or per-group
 * counts.
 *
 * <p>Monitoring (article 7) needs a later window of data, which a study does not have yet: the
 * evidence carries no stability or drift, and the policy reports it as not yet available. The
 * destruction receipts come after the report (the report must be logged before anything is released
 * or destroyed), so the evidence carries none and the policy reports them as pending; they are in
 * the protocol log.
 */
final class GovernanceEvidence {
  private GovernanceEvidence() {}

  /** Entries of the protocol log shown in the report. */
  private static final int LOG_HEAD_ENTRIES = 12;

  /** Characters of an entry's body shown in the report. */
  private static final int LOG_BODY_CHARS = 160;

  /**
   * The report of a study from the evaluate phase's reports.
   *
   * @param evaluation the evaluate phase's reports by node, whose vectors and model agree
   * @throws StudyFailure if a total or a bank's data-quality counts are missing or malformed
   */
  static GovernanceReport report(
      StudyPlan plan,
      Map<String, StepReport> evaluation,
      Evidence.Security security,
      Evidence.Records records)
      throws StudyFailure {
    StudyEvaluation spec = StudyEvaluation.of(plan.getParametersMap());
    StepReport any = evaluation.values().iterator().next();
    LogisticModel model = model(any.getModel());
    Map<String, long[]> totals = new LinkedHashMap<>();
    for (OpenedVector v : any.getOpenedVectorsList()) {
      totals.put(v.getName(), values(v));
    }

    ScoreHistogram histogram = spec.validation();
    ValidationResult validation = histogram.fromTotals(totals(totals, histogram));
    FairnessStatistic fairnessStatistic = spec.fairness(validation.thresholdAtBudget());
    FairnessResult fairness = fairnessStatistic.fromTotals(totals(totals, fairnessStatistic));
    ProxyStatistic proxy = spec.proxy(model);
    ContributionStatistic contributions = spec.contributions(model);

    DataQualityCheck quality = spec.dataQuality(model.features());
    Map<String, DataQualityCounts> perBank = new LinkedHashMap<>();
    List<String> explained = new ArrayList<>();
    for (String bank : plan.getParticipantsList()) {
      StepReport r = evaluation.get(bank);
      OpenedVector own =
          r.getOwnVectorsList().stream()
              .filter(v -> v.getName().equals(quality.layout().id()))
              .findFirst()
              .orElseThrow(() -> new StudyFailure(bank + " reported no data-quality counts"));
      perBank.put(bank, quality.fromTotals(checked(bank + "'s data-quality counts", own, quality)));
      if (r.getExplanationsWritten()) {
        explained.add(bank);
      }
    }

    Evidence evidence =
        Evidence.builder(plan.getStudyId(), plan.getParticipantsList(), Instant.now(), model)
            .dataQuality(perBank)
            .validation(validation)
            .fairness(fairness, proxy.fromTotals(totals(totals, proxy)))
            .explanation(
                contributions.fromTotals(totals(totals, contributions)),
                explained,
                ReasonTexts.standard())
            .security(security)
            .records(records)
            .build();
    return GovernanceReport.of(spec.policy(), evidence);
  }

  /**
   * Article 10's evidence: the log as it stands when the report is written (verified from its
   * files), its head, and the training's provenance as every bank reported it.
   */
  static Evidence.Records records(StudyLog log, Path logDir, Map<String, StepReport> evaluation)
      throws IOException {
    LogVerifier.Result verified = LogVerifier.verify(logDir);
    List<LogEntry> entries;
    try {
      entries = LogEntries.read(logDir);
    } catch (LogException e) {
      throw new IOException("cannot read the protocol log " + logDir + ": " + e.getMessage(), e);
    }
    StringBuilder head = new StringBuilder();
    for (LogEntry e : entries.subList(0, Math.min(LOG_HEAD_ENTRIES, entries.size()))) {
      String body = e.body();
      head.append(
          String.format(
              "%4d  %s  %-12s %s%n",
              e.index(),
              Instant.ofEpochMilli(e.timestampMillis()),
              e.kind(),
              body.length() > LOG_BODY_CHARS ? body.substring(0, LOG_BODY_CHARS) + "…" : body));
    }
    String headHash =
        entries.isEmpty() ? "" : HexFormat.of().formatHex(entries.get(entries.size() - 1).hash());
    return new Evidence.Records(
        entries.size(),
        verified.checkpoints(),
        verified.ok(),
        headHash,
        head.toString(),
        evaluation.values().iterator().next().getModel().getProvenance());
  }

  /** The summary's view of the report: verdicts per article and what blocked the release. */
  static ReportSummary summary(
      String name, String sha256, Assessment assessment, List<String> withheld) {
    ReportSummary.Builder b =
        ReportSummary.newBuilder()
            .setName(name)
            .setSha256(sha256)
            .setVerdict(assessment.verdict().name())
            .setReleaseBlocked(assessment.releaseBlocked())
            .addAllWithheld(withheld);
    for (ArticleResult a : assessment.articles()) {
      b.putArticles(a.article().number(), a.verdict().name());
      for (Check c : a.checks()) {
        if (c.verdict() == Verdict.FAIL) {
          String value =
              Double.isNaN(c.value()) ? "" : " = " + String.format(Locale.ROOT, "%.4g", c.value());
          b.addFailures(c.id() + value + ": " + c.detail() + " (rule " + c.rule() + ")");
        }
      }
    }
    return b.build();
  }

  /** A text resource next to this class. */
  static String text(String resource) {
    try (InputStream in = GovernanceEvidence.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LogisticModel model(OpenedModel m) {
    return new LogisticModel(
        m.getFeaturesList(),
        m.getMeansList().stream().mapToDouble(Double::doubleValue).toArray(),
        m.getStdsList().stream().mapToDouble(Double::doubleValue).toArray(),
        m.getWinsorize(),
        m.getWeightsList().stream().mapToDouble(Double::doubleValue).toArray(),
        m.getIntercept());
  }

  private static long[] totals(Map<String, long[]> totals, Summable<?> statistic)
      throws StudyFailure {
    String step = StudyEvaluation.step(statistic);
    long[] v = totals.get(step);
    if (v == null) {
      throw new StudyFailure("the evaluate phase opened no totals for " + step);
    }
    if (v.length != statistic.layout().size()) {
      throw new StudyFailure(
          step + " has " + v.length + " totals, expected " + statistic.layout().size());
    }
    return v;
  }

  private static long[] checked(String what, OpenedVector v, Summable<?> statistic)
      throws StudyFailure {
    if (v.getValuesCount() != statistic.layout().size()) {
      throw new StudyFailure(
          what + " has " + v.getValuesCount() + " values, expected " + statistic.layout().size());
    }
    return values(v);
  }

  private static long[] values(OpenedVector v) {
    return v.getValuesList().stream().mapToLong(Long::longValue).toArray();
  }
}
