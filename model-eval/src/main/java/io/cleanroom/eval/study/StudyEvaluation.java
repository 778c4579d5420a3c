package io.cleanroom.eval.study;

import io.cleanroom.eval.explain.ContributionStatistic;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProtectedAttribute;
import io.cleanroom.eval.fairness.ProxyStatistic;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.policy.Policy;
import io.cleanroom.eval.policy.PolicyReader;
import io.cleanroom.eval.quality.DataQualityCheck;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.sum.Summable;
import io.cleanroom.eval.validation.ScoreHistogram;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The evaluation of a study's joint model as its plan defines it, so that every bank builds the
 * same evaluators (the same vector layouts) and the coordinator the same ones to read the totals.
 *
 * <p>Everything here is public and comes from the plan that every participant signed:
 *
 * <ul>
 *   <li>the governance policy: the YAML text in plan parameter {@value #POLICY_PARAMETER}, or the
 *       default policy ({@link PolicyReader#defaultPolicy()}) without one. It fixes the alert
 *       budget, the cell-size floor, the confidence level and the number of reasons per decision;
 *   <li>the reference date of the age bands: parameter {@value #REFERENCE_DATE_PARAMETER} ({@code
 *       YYYY-MM-DD}), which the coordinator sets to the day it opens the study when the plan does
 *       not name one;
 *   <li>the region groups: Taiwan's 22 counties and cities ({@link #REGIONS}), then {@code other}.
 * </ul>
 *
 * <p>The order of the secure sums (each one step, labelled {@link #step}) is: the validation
 * histogram, whose alert threshold at the policy's budget then defines the alerts; the fairness
 * counts at that threshold; the proxy correlations; the feature contributions.
 */
public final class StudyEvaluation {

  /** The plan parameter holding the governance policy's YAML text. */
  public static final String POLICY_PARAMETER = "policy";

  /** The plan parameter holding the reference date of the age bands. */
  public static final String REFERENCE_DATE_PARAMETER = "reference_date";

  /** Taiwan's counties and cities, the region groups of the fairness report. */
  public static final List<String> REGIONS =
      List.of(
          "Taipei",
          "New Taipei",
          "Keelung",
          "Taoyuan",
          "Hsinchu",
          "Hsinchu County",
          "Miaoli",
          "Taichung",
          "Changhua",
          "Nantou",
          "Yunlin",
          "Chiayi",
          "Chiayi County",
          "Tainan",
          "Kaohsiung",
          "Pingtung",
          "Yilan",
          "Hualien",
          "Taitung",
          "Penghu",
          "Kinmen",
          "Lienchiang");

  private final Policy policy;
  private final LocalDate referenceDate;
  private final List<ProtectedAttribute> attributes;
  private final Confidence confidence;

  private StudyEvaluation(Policy policy, LocalDate referenceDate) {
    this.policy = policy;
    this.referenceDate = referenceDate;
    this.attributes = ProtectedAttribute.standard(referenceDate, REGIONS);
    this.confidence = new Confidence(policy.fairness().confidenceLevel());
  }

  /**
   * The evaluation of a plan with {@code parameters}.
   *
   * @throws IllegalArgumentException if the reference date is missing or malformed
   * @throws io.cleanroom.eval.policy.PolicyException if the plan's policy is not valid
   */
  public static StudyEvaluation of(Map<String, String> parameters) {
    String date = parameters.get(REFERENCE_DATE_PARAMETER);
    if (date == null) {
      throw new IllegalArgumentException(
          "the plan has no " + REFERENCE_DATE_PARAMETER + " for the age bands");
    }
    LocalDate reference;
    try {
      reference = LocalDate.parse(date);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          REFERENCE_DATE_PARAMETER + " \"" + date + "\" is not a date YYYY-MM-DD", e);
    }
    String yaml = parameters.get(POLICY_PARAMETER);
    Policy policy =
        yaml == null
            ? PolicyReader.defaultPolicy()
            : PolicyReader.parse(
                "plan parameter " + POLICY_PARAMETER, yaml.getBytes(StandardCharsets.UTF_8));
    return new StudyEvaluation(policy, reference);
  }

  /** The protocol step of a statistic's secure sum. */
  public static String step(Summable<?> statistic) {
    return "eval/" + statistic.layout().id();
  }

  public Policy policy() {
    return policy;
  }

  public LocalDate referenceDate() {
    return referenceDate;
  }

  /** Gender, age band on the reference date, nationality TW or other, and region. */
  public List<ProtectedAttribute> attributes() {
    return attributes;
  }

  /** The validation histogram at the policy's alert budget. */
  public ScoreHistogram validation() {
    return new ScoreHistogram(
        ScoreHistogram.DEFAULT_BINS, policy.validation().alertBudget(), confidence);
  }

  /** The fairness counts of the alerts at {@code alertThreshold}, the validation's threshold. */
  public FairnessStatistic fairness(double alertThreshold) {
    return new FairnessStatistic(
        attributes, alertThreshold, policy.fairness().cellSizeFloor(), confidence);
  }

  /** The correlations of the model's inputs with the protected groups. */
  public ProxyStatistic proxy(LogisticModel model) {
    return new ProxyStatistic(model, attributes, policy.fairness().cellSizeFloor());
  }

  /** The model's global explanation. */
  public ContributionStatistic contributions(LogisticModel model) {
    return new ContributionStatistic(model);
  }

  /** The data-quality counts of one bank's rows, reported per bank. */
  public DataQualityCheck dataQuality(List<String> features) {
    return DataQualityCheck.standard(features);
  }

  /** Reasons per flagged account in the banks' explanations. */
  public int maxReasons() {
    return policy.explainability().maxReasons();
  }
}
