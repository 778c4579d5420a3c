package io.cleanroom.node.model;

import io.cleanroom.eval.explain.ContributionStatistic;
import io.cleanroom.eval.explain.DecisionExplainer;
import io.cleanroom.eval.explain.ExplanationsCsv;
import io.cleanroom.eval.explain.ReasonTexts;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProxyStatistic;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.quality.DataQualityCheck;
import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.study.StudyEvaluation;
import io.cleanroom.eval.sum.Summable;
import io.cleanroom.eval.validation.ScoreHistogram;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.Customers;
import io.cleanroom.protocol.aggregate.SecureSum;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.study.Progress;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.wire.v1.OpenedVector;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fraud study's evaluation phase at one bank (design §3 step 7): the bank scores its own
 * accounts with the joint model, and the banks sum their evaluation vectors on secret shares and
 * open only the totals, in the order {@link StudyEvaluation} defines:
 *
 * <ol>
 *   <li>the score histogram with labels ({@link ScoreHistogram}), whose opened totals give every
 *       bank the alert threshold at the policy's budget;
 *   <li>per protected group (gender, age band, nationality, region): accounts, alerts, alert
 *       accounts and true alerts at that threshold ({@link FairnessStatistic});
 *   <li>the sums behind each feature's correlation with each group indicator ({@link
 *       ProxyStatistic});
 *   <li>each feature's sum of absolute contributions to the log-odds ({@link
 *       ContributionStatistic}).
 * </ol>
 *
 * <p>Every total is a sum over all banks' accounts: no bank's own counts are opened. The bank's
 * data-quality counts ({@link DataQualityCheck}: rows, missing and out-of-range values per feature,
 * missing demographics) are not summed: the bank publishes its own vector to the coordinator alone,
 * because the policy judges each bank's data. Protected attributes stay at the bank; they are never
 * features and only enter the group counts.
 *
 * <p>The bank also writes {@code explanations/<bank>.csv}: the top reasons ({@link
 * DecisionExplainer}, in Chinese and English) of each of its own accounts at or above the alert
 * threshold, computed at the bank and kept by it like its scores.
 */
public final class EvaluationPhase {
  private EvaluationPhase() {}

  /** The output folder of the banks' per-decision explanations. */
  public static final String EXPLANATIONS_DIR = "explanations";

  /**
   * What the phase opened: the totals of each summed statistic, by step, and this bank's own
   * data-quality vector.
   */
  public record Result(List<OpenedVector> totals, OpenedVector dataQuality) {}

  /**
   * Runs the phase.
   *
   * @param trained the training phase's outcome: the model and this bank's rows
   * @param outputs the bank's staged outputs, where the explanations go
   * @param progress hears the end of each secure sum (validation, fairness, proxies,
   *     contributions); the rest is writing the explanations
   */
  public static Result run(
      Transport transport,
      BankData data,
      TrainingPhase.Outcome trained,
      StudyEvaluation evaluation,
      Path outputs,
      SecureRandom random,
      Progress progress)
      throws IOException {
    LogisticModel model = trained.model();
    FeatureRows rows = trained.bankRows();
    ScoredRows scored = ScoredRows.score(model, rows, demographics(data, rows.accounts()));
    List<OpenedVector> totals = new ArrayList<>();

    ScoreHistogram validation = evaluation.validation();
    double threshold =
        validation
            .fromTotals(sum(transport, validation, scored, random, totals))
            .thresholdAtBudget();
    progress.report(0.2);
    sum(transport, evaluation.fairness(threshold), scored, random, totals);
    progress.report(0.4);
    sum(transport, evaluation.proxy(model), scored, random, totals);
    progress.report(0.6);
    sum(transport, evaluation.contributions(model), scored, random, totals);
    progress.report(0.8);

    DataQualityCheck quality = evaluation.dataQuality(model.features());
    OpenedVector own = vector(quality.layout().id(), quality.local(scored));

    ExplanationsCsv.write(
        outputs.resolve(EXPLANATIONS_DIR).resolve(data.bankId() + ".csv"),
        new DecisionExplainer(model, ReasonTexts.standard(), evaluation.maxReasons()),
        scored,
        threshold);
    return new Result(totals, own);
  }

  /** Sums {@code statistic}'s vector of this bank with the others' and records the totals. */
  private static long[] sum(
      Transport transport,
      Summable<?> statistic,
      ScoredRows rows,
      SecureRandom random,
      List<OpenedVector> opened) {
    String step = StudyEvaluation.step(statistic);
    long[] totals =
        SecureSum.sumAndOpen(
            new AdditiveSharing(transport, Prg.fresh(random)), step, statistic.local(rows));
    opened.add(vector(step, totals));
    return totals;
  }

  private static OpenedVector vector(String name, long[] values) {
    return OpenedVector.newBuilder()
        .setName(name)
        .addAllValues(Arrays.stream(values).boxed().toList())
        .build();
  }

  /** The account holders' protected attributes, in the order of {@code accounts}. */
  static List<Demographics> demographics(BankData data, List<String> accounts) {
    Customers customers = data.customers();
    List<Demographics> people = new ArrayList<>(accounts.size());
    for (String account : accounts) {
      int a = data.indexOf(account);
      if (a < 0) {
        throw new IllegalArgumentException("account " + account + " is not in the bank's data");
      }
      int c = data.customerOf(a);
      people.add(
          new Demographics(
              customers.gender(c).name(),
              LocalDate.ofEpochDay(customers.birthDate(c)),
              customers.nationality(c),
              customers.region(c)));
    }
    return people;
  }
}
