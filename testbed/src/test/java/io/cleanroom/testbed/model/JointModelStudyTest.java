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
    double secure = (Double) model.get("auc_secure");
    double plain = (Double) model.get("auc_plaintext");
    assertTrue(Math.abs(secure - plain) <= 0.005, "AUC secure " + secure + ", plaintext " + plain);
    double cosine = (Double) model.get("weight_cosine");
    assertTrue(cosine >= 0.99, "weight cosine " + cosine);
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

  @Test
  void trainingThatLeavesTheSigmoidsRange_abortsNamingTheRowsAndReleasesNothing() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 3000, 5));
    Path out = temp.resolve("out");
    // A step size 250 times the default drives logits far beyond the cubic's range.
    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true)
                .withTask(
                    Tasks.FRAUD_STUDY,
                    Map.of("learning_rate", "50", "batch_size", "64", "l2", "0")),
            quiet());
    assertEquals("ABORTED", summary.get("state"));
    String reason = String.valueOf(summary.get("abort_reason"));
    assertTrue(
        reason.matches(
            "(?s).*train: the joint model's logit lies outside the secure sigmoid's"
                + " range \\[−8, 8\\] on [1-9][0-9]* of 3000 rows.*"),
        reason);
    assertTrue(Files.notExists(out.resolve("model/joint-model.json")));
    assertTrue(Files.notExists(out.resolve("scores")));
  }
}
