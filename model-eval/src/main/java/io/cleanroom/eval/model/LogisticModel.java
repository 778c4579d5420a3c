package io.cleanroom.eval.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.impl.ArrayExample;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.ExpNormalizer;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

/**
 * A logistic-regression fraud model: P(alert | x) = σ(b + Σ_j w_j·z_j) with z_j = clip((x_j −
 * mean_j)/std_j, ±winsorize). Weights are on the standardised features; {@link #rawWeights} gives
 * the equivalent weights on the features themselves for values inside the clipping range.
 *
 * <p>{@link #toTribuo} turns it into a genuine Tribuo {@link LinearSGDModel} over the standardised
 * features (two rows of weights, ±w/2 for the labels {@link #ALERT} and {@link #NORMAL}, so that
 * Tribuo's softmax equals σ), built through Tribuo's own serialised form so that every Tribuo tool
 * (evaluation, explanations, provenance, serialisation, ONNX export) works on it.
 */
public record LogisticModel(
    List<String> features,
    double[] means,
    double[] stds,
    double winsorize,
    double[] weights,
    double intercept) {

  public static final Label ALERT = new Label("alert");
  public static final Label NORMAL = new Label("normal");

  public LogisticModel {
    features = List.copyOf(features);
    int d = features.size();
    if (means.length != d || stds.length != d || weights.length != d) {
      throw new IllegalArgumentException(
          "model with "
              + d
              + " features has "
              + means.length
              + " means, "
              + stds.length
              + " deviations and "
              + weights.length
              + " weights");
    }
    means = means.clone();
    stds = stds.clone();
    weights = weights.clone();
  }

  /** The standardised, clipped value of feature j. */
  public double standardise(int j, double raw) {
    double z = stds[j] > 0 ? (raw - means[j]) / stds[j] : 0;
    return Math.max(-winsorize, Math.min(winsorize, z));
  }

  /** The standardised, clipped feature vector of a row of raw feature values. */
  public double[] standardise(double[] raw) {
    double[] z = new double[raw.length];
    for (int j = 0; j < raw.length; j++) {
      z[j] = standardise(j, raw[j]);
    }
    return z;
  }

  /** The model's logit for a row of raw feature values. */
  public double logit(double[] raw) {
    double u = intercept;
    for (int j = 0; j < weights.length; j++) {
      u += weights[j] * standardise(j, raw[j]);
    }
    return u;
  }

  /** The probability of an alert account for a row of raw feature values. */
  public double score(double[] raw) {
    return 1 / (1 + Math.exp(-logit(raw)));
  }

  /** Weights on the raw features: w_j/std_j (0 for a constant feature). */
  public double[] rawWeights() {
    double[] out = new double[weights.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = stds[j] > 0 ? weights[j] / stds[j] : 0;
    }
    return out;
  }

  /** The intercept on the raw features: b − Σ_j w_j·mean_j/std_j. */
  public double rawIntercept() {
    double b = intercept;
    double[] raw = rawWeights();
    for (int j = 0; j < raw.length; j++) {
      b -= raw[j] * means[j];
    }
    return b;
  }

  /** Cosine similarity of this model's (weights, intercept) with another's. */
  public double cosine(LogisticModel other) {
    double dot = intercept * other.intercept;
    double a = intercept * intercept;
    double b = other.intercept * other.intercept;
    for (int j = 0; j < weights.length; j++) {
      dot += weights[j] * other.weights[j];
      a += weights[j] * weights[j];
      b += other.weights[j] * other.weights[j];
    }
    return a == 0 || b == 0 ? 0 : dot / Math.sqrt(a * b);
  }

  /** A Tribuo example of a row of raw feature values, standardised for {@link #toTribuo}. */
  public Example<Label> example(double[] raw, Label label) {
    // This constructor sorts the features by name, as Tribuo's sparse vectors require.
    return new ArrayExample<>(
        label == null ? LabelFactory.UNKNOWN_LABEL : label,
        features.toArray(new String[0]),
        standardise(raw));
  }

  /**
   * This model as a Tribuo {@link LinearSGDModel} over the standardised features.
   *
   * @param name the model's name
   * @param dataset provenance of the data this party trained on
   * @param trainer provenance of the trainer
   * @param facts further provenance (study id, data digests, protocol and parameters)
   */
  public Model<Label> toTribuo(
      String name,
      DatasetProvenance dataset,
      TrainerProvenance trainer,
      Map<String, String> facts) {
    MutableFeatureMap fm = new MutableFeatureMap();
    for (String f : features) {
      fm.add(f, 0);
      fm.add(f, 1);
    }
    ImmutableFeatureMap featureMap = new ImmutableFeatureMap(fm);
    LabelFactory factory = new LabelFactory();
    var outputs = factory.generateInfo();
    outputs.observe(ALERT);
    outputs.observe(NORMAL);
    @SuppressWarnings("unchecked")
    ImmutableOutputInfo<Label> outputInfo =
        (ImmutableOutputInfo<Label>) outputs.generateImmutableOutputInfo();
    int d = features.size();
    DenseMatrix w = new DenseMatrix(2, d + 1);
    int alert = outputInfo.getID(ALERT);
    int normal = outputInfo.getID(NORMAL);
    for (int j = 0; j < d; j++) {
      int id = featureMap.getID(features.get(j));
      w.set(alert, id, weights[j] / 2);
      w.set(normal, id, -weights[j] / 2);
    }
    w.set(alert, d, intercept / 2);
    w.set(normal, d, -intercept / 2);
    Map<String, Provenance> instance = new HashMap<>();
    facts.forEach((k, v) -> instance.put(k, new StringProvenance(k, v)));
    ModelProvenance provenance =
        new ModelProvenance(
            LinearSGDModel.class.getName(), OffsetDateTime.now(), dataset, trainer, instance);
    ModelDataCarrier<Label> carrier =
        new ModelDataCarrier<>(name, provenance, featureMap, outputInfo, true, Model.BIAS_FEATURE);
    ClassificationLinearSGDProto data =
        ClassificationLinearSGDProto.newBuilder()
            .setMetadata(carrier.serialize())
            .setParams(new LinearParameters(w).serialize())
            .setNormalizer(new ExpNormalizer().serialize())
            .build();
    ModelProto proto =
        ModelProto.newBuilder()
            .setVersion(LinearSGDModel.CURRENT_VERSION)
            .setClassName(LinearSGDModel.class.getName())
            .setSerializedData(Any.pack(data))
            .build();
    @SuppressWarnings("unchecked")
    Model<Label> model = (Model<Label>) Model.deserialize(proto);
    return model;
  }

  /**
   * {@code joint-model.json}: features, weights and intercept on the raw features, the standardised
   * weights and intercept, the standardisation, and {@code extra} (training parameters, study,
   * provenance).
   */
  public void writeJson(Path file, Map<String, Object> extra) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    ArrayNode names = root.putArray("features");
    features.forEach(names::add);
    ArrayNode raw = root.putArray("weights");
    for (double v : rawWeights()) {
      raw.add(v);
    }
    root.put("intercept", rawIntercept());
    ArrayNode std = root.putArray("standardised_weights");
    for (double v : weights) {
      std.add(v);
    }
    root.put("standardised_intercept", intercept);
    ArrayNode m = root.putArray("means");
    for (double v : means) {
      m.add(v);
    }
    ArrayNode s = root.putArray("stds");
    for (double v : stds) {
      s.add(v);
    }
    root.put("winsorize", winsorize);
    root.put(
        "scoring",
        "score = 1/(1+exp(-(standardised_intercept + Σ standardised_weights[j]·"
            + "clip((x[j]-means[j])/stds[j], ±winsorize))))");
    root.set("training", json.valueToTree(new LinkedHashMap<>(extra)));
    json.writeValue(file.toFile(), root);
  }

  /** Reads a model written by {@link #writeJson}. */
  public static LogisticModel readJson(Path file) throws IOException {
    var root = new ObjectMapper().readTree(file.toFile());
    List<String> names = new ArrayList<>();
    root.get("features").forEach(n -> names.add(n.asText()));
    return new LogisticModel(
        names,
        doubles(root.get("means")),
        doubles(root.get("stds")),
        root.get("winsorize").asDouble(),
        doubles(root.get("standardised_weights")),
        root.get("standardised_intercept").asDouble());
  }

  private static double[] doubles(com.fasterxml.jackson.databind.JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
