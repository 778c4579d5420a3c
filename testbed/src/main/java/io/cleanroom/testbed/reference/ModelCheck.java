package io.cleanroom.testbed.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.model.PlaintextLogisticTrainer;
import io.cleanroom.eval.model.TrainingParameters;
import io.cleanroom.node.model.AccountFeatures;
import io.cleanroom.node.model.TrainingPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Compares a study's joint model with the same model trained in plaintext on the pooled rows that
 * the banks trained on ({@code model/features/<bank>.csv}), and, with {@code truth.csv}, measures
 * detection of hidden mule accounts against each bank training alone on its own rows without
 * cross-bank information.
 */
public final class ModelCheck {
  private ModelCheck() {}

  /** Seed of the plaintext reference's batch order. */
  static final long SEED = 1;

  /** The {@code model} section of {@code summary.json}. */
  public static Map<String, Object> check(
      Path dataset, Path out, List<String> banks, TrainingParameters p, String studyId)
      throws IOException {
    LogisticModel secure = LogisticModel.readJson(out.resolve("model").resolve("joint-model.json"));
    List<FeatureRows> parts = new ArrayList<>();
    for (String b : banks) {
      parts.add(FeatureRows.read(out.resolve("model").resolve("features").resolve(b + ".csv")));
    }
    FeatureRows pooled = FeatureRows.concat(parts);
    long t0 = System.nanoTime();
    PlaintextLogisticTrainer trainer = new PlaintextLogisticTrainer(p, SEED, false);
    LogisticModel plain = trainer.fitAsBatched(parts, TrainingPhase.batchSeed(studyId));
    double plainSeconds = (System.nanoTime() - t0) / 1e9;

    // The secure model as the Tribuo model a bank saved, evaluated by Tribuo.
    @SuppressWarnings("unchecked")
    Model<Label> tribuo =
        (Model<Label>)
            Model.deserializeFromFile(
                out.resolve("model").resolve("tribuo").resolve(banks.get(0) + ".tribuo"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", pooled.size());
    m.put("alert_rows", pooled.positives());
    m.put("features", secure.features());
    m.put("auc_secure", tribuoAuc(tribuo, secure, pooled));
    Model<Label> plainTribuo =
        plain.toTribuo(
            "plaintext-reference",
            pooled.toDataset("pooled model/features/*.csv").getProvenance(),
            trainer.getProvenance(),
            Map.of("protocol", "plaintext reference on pooled rows"));
    m.put("auc_plaintext", tribuoAuc(plainTribuo, plain, pooled));
    m.put("weight_cosine", secure.cosine(plain));
    double maxDiff = Math.abs(secure.intercept() - plain.intercept());
    for (int j = 0; j < secure.weights().length; j++) {
      maxDiff = Math.max(maxDiff, Math.abs(secure.weights()[j] - plain.weights()[j]));
    }
    m.put("max_abs_weight_difference", maxDiff);
    // What the secure run states about its sigmoid (the model's provenance).
    JsonNode provenance =
        new ObjectMapper().readTree(out.resolve("model").resolve("joint-model.json").toFile());
    m.put("sigmoid", provenance.path("training").path("sigmoid").asText());
    m.put("clamped_row_steps", provenance.path("training").path("clamped_row_steps").asLong(-1));
    m.put("plaintext_training_s", plainSeconds);

    Path truth = dataset.resolve("truth.csv");
    if (Files.exists(truth)) {
      Map<String, Boolean> mule = RiskCheck.readTruth(truth);
      List<Double> joint = new ArrayList<>();
      List<Double> alone = new ArrayList<>();
      List<Boolean> label = new ArrayList<>();
      for (int q = 0; q < banks.size(); q++) {
        FeatureRows own = parts.get(q);
        FeatureRows local = own.select(AccountFeatures.LOCAL);
        LogisticModel single = trainer.fit(local);
        for (int i = 0; i < own.size(); i++) {
          if (own.y()[i] == 1) {
            continue;
          }
          joint.add(secure.score(own.x()[i]));
          alone.add(single.score(local.x()[i]));
          label.add(mule.getOrDefault(banks.get(q) + "/" + own.accounts().get(i), false));
        }
      }
      boolean[] y = new boolean[label.size()];
      double[] js = new double[y.length];
      double[] as = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = label.get(i);
        js[i] = joint.get(i);
        as[i] = alone.get(i);
      }
      m.put("hidden_accounts", y.length);
      m.put("hidden_auc", Detection.auc(js, y));
      m.put("hidden_ap", Detection.averagePrecision(js, y));
      m.put("single_bank_hidden_auc", Detection.auc(as, y));
      m.put("single_bank_hidden_ap", Detection.averagePrecision(as, y));
    }
    return m;
  }

  /** AUC of the alert label by Tribuo's evaluator on the rows, standardised by the model. */
  private static double tribuoAuc(Model<Label> tribuo, LogisticModel scaler, FeatureRows rows) {
    LabelFactory factory = new LabelFactory();
    MutableDataset<Label> ds =
        new MutableDataset<>(new SimpleDataSourceProvenance("pooled rows", factory), factory);
    for (int i = 0; i < rows.size(); i++) {
      ds.add(
          scaler.example(
              rows.x()[i], rows.y()[i] == 1 ? LogisticModel.ALERT : LogisticModel.NORMAL));
    }
    return new LabelEvaluator().evaluate(tribuo, ds).AUCROC(LogisticModel.ALERT);
  }
}
