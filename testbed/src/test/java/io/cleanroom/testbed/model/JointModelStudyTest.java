package io.cleanroom.testbed.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.policy.PolicyReader;
import io.cleanroom.eval.study.StudyEvaluation;
import io.cleanroom.node.model.AccountFeatures;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.Datasets;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

/** Whole fraud studies: the joint model trained on shares against plaintext training. */
class JointModelStudyTest {

  @TempDir Path temp;

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> model(Map<String, Object> summary) {
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));
    return (Map<String, Object>) summary.get("model");
  }

  private static void assertEqualsPlaintext(Map<String, Object> model) {
    System.out.printf(
        "joint model: AUC %.5f secure, %.5f plaintext; weight cosine %.5f; largest weight"
            + " difference %.4g; %s row-steps clamped%n",
        model.get("auc_secure"),
        model.get("auc_plaintext"),
        model.get("weight_cosine"),
        model.get("max_abs_weight_difference"),
        model.get("clamped_row_steps"));
    double secure = (Double) model.get("auc_secure");
    double plain = (Double) model.get("auc_plaintext");
    assertTrue(
        Math.abs(secure - plain) <= 0.005,
        "AUC secure " + secure + ", plaintext " + plain + ": " + model);
    double cosine = (Double) model.get("weight_cosine");
    assertTrue(cosine >= 0.99, "weight cosine " + cosine + ": " + model);
  }

  @Test
  void generatedData_equalsPlaintextAndDeliversEveryOutput() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 8000, 5));
    Path out = temp.resolve("out");
    Map<String, Object> model =
        model(
            LocalTestbed.run(
                LocalTestbed.Options.of(data, out, true).withTask(Tasks.FRAUD_STUDY, Map.of()),
                quiet()));
    assertEqualsPlaintext(model);
    assertEquals(8000, model.get("rows"));
    assertTrue((Double) model.get("hidden_auc") > 0.5);

    LogisticModel joint = LogisticModel.readJson(out.resolve("model/joint-model.json"));
    assertEquals(AccountFeatures.NAMES, joint.features());
    for (String bank : List.of("bank-a", "bank-b", "bank-c")) {
      FeatureRows rows = FeatureRows.read(out.resolve("model/features/" + bank + ".csv"));
      List<String> scores = Files.readAllLines(out.resolve("scores/" + bank + ".csv"));
      assertEquals("account_id,score", scores.get(0));
      assertEquals(rows.size() + 1, scores.size());
      @SuppressWarnings("unchecked")
      Model<Label> tribuo =
          (Model<Label>) Model.deserializeFromFile(out.resolve("model/tribuo/" + bank + ".tribuo"));
      assertTrue(tribuo.getProvenance().toString().contains("data_digest.bank-c"));
      for (int i = 0; i < Math.min(50, rows.size()); i++) {
        String[] line = scores.get(i + 1).split(",");
        assertEquals(rows.accounts().get(i), line[0]);
        double score = Double.parseDouble(line[1]);
        assertEquals(joint.score(rows.x()[i]), score, 1e-7);
        Prediction<Label> p = tribuo.predict(joint.example(rows.x()[i], null));
        assertEquals(
            score, p.getOutputScores().get(LogisticModel.ALERT.getLabel()).getScore(), 1e-7);
      }
    }
  }

  @Test
  void amlsimFromTheRepository_equalsPlaintext() throws Exception {
    Datasets.unpack(Path.of("..", "datasets", "amlsim-3bank.tar.gz"), temp);
    Path out = temp.resolve("out");
    // The AMLSim copy has more alert accounts than the default 1% alert budget can hold, so the
    // default policy's recall at that budget (≥ 0.2) fails and would withhold the model; this
    // study is held to a recall of 0.05 instead.
    String defaultPolicy = new String(PolicyReader.defaultPolicyBytes(), StandardCharsets.UTF_8);
    String policy =
        defaultPolicy.replace(
            "recall_at_budget: {min: 0.2, warn: 0.3}", "recall_at_budget: {min: 0.05, warn: 0.1}");
    assertNotEquals(defaultPolicy, policy);
    Map<String, Object> model =
        model(
            LocalTestbed.run(
                LocalTestbed.Options.of(temp.resolve("amlsim-3bank"), out, true)
                    .withTask(Tasks.FRAUD_STUDY, Map.of(StudyEvaluation.POLICY_PARAMETER, policy)),
                quiet()));
    assertEqualsPlaintext(model);
    assertEquals(12043, model.get("rows"));
  }

  /**
   * The default policy with every validation and fairness bound that could withhold the model
   * opened up, so that a study on a hard dataset releases its model for comparison whatever its
   * quality (training must then be right on its own).
   */
  private static String permissivePolicy() {
    String policy = new String(PolicyReader.defaultPolicyBytes(), StandardCharsets.UTF_8);
    String[][] open = {
      {
        "demographic_parity_difference: {max: 0.05, warn: 0.02}",
        "demographic_parity_difference: {max: 1}"
      },
      {"disparate_impact: {min: 0.8}", "disparate_impact: {min: 0}"},
      {"fpr_ratio: {min: 0.8}", "fpr_ratio: {min: 0}"},
      {"fdr_ratio: {min: 0.8}", "fdr_ratio: {min: 0}"},
      {"equalized_odds_difference: {max: 0.1}", "equalized_odds_difference: {max: 1}"},
      {"proxy_correlation: {max: 0.5, warn: 0.3}", "proxy_correlation: {max: 1}"},
      {"auc: {min: 0.75, warn: 0.8}", "auc: {min: 0}"},
      {"average_precision: {min: 0.1, warn: 0.2}", "average_precision: {min: 0}"},
      {"recall_at_budget: {min: 0.2, warn: 0.3}", "recall_at_budget: {min: 0}"},
    };
    for (String[] o : open) {
      assertTrue(policy.contains(o[0]), "the default policy no longer says " + o[0]);
      policy = policy.replace(o[0], o[1]);
    }
    return policy;
  }

  /** A fraud study of {@code data} with these plan parameters under {@link #permissivePolicy}. */
  private Map<String, Object> releasedModel(Path data, Map<String, String> parameters)
      throws Exception {
    Map<String, String> plan = new java.util.HashMap<>(parameters);
    plan.put(StudyEvaluation.POLICY_PARAMETER, permissivePolicy());
    return model(
        LocalTestbed.run(
            LocalTestbed.Options.of(data, temp.resolve("out"), true)
                .withTask(Tasks.FRAUD_STUDY, plan),
            quiet()));
  }

  /**
   * The case that diverged under the bare cubic sigmoid: 5 banks, 12,190 accounts, 35 alert
   * accounts (0.29 %), mules of ordinary age whose amounts overlap ordinary ones. The plaintext
   * twin's logits reach beyond ±20 there; with the cubic the secure model came out with AUC 0.747
   * against 0.997 and weight cosine 0.42, released without a word.
   */
  @Test
  void rareAlertsAndOrdinaryLookingMules_equalPlaintext() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(
        data,
        GeneratorOptions.of(5, 12190, 7)
            .withMuleFraction(0.009)
            .withOrdinaryAgeMules(true)
            .withOverlappingFraudAmounts(true));
    Map<String, Object> model = releasedModel(data, Map.of());
    assertEquals(35L, ((Number) model.get("alert_rows")).longValue());
    assertEqualsPlaintext(model);
    assertTrue(((Number) model.get("clamped_row_steps")).longValue() > 0, model.toString());
    assertTrue(String.valueOf(model.get("sigmoid")).startsWith("clamped cubic"));
  }

  /** A step size ten times the default and batches of 64 rows. */
  @Test
  void largeStepsAndSmallBatches_equalPlaintext() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 8000, 5));
    Map<String, Object> model =
        releasedModel(data, Map.of("learning_rate", "2", "batch_size", "64"));
    assertEqualsPlaintext(model);
  }
}
