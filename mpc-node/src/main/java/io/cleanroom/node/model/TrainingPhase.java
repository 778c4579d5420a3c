package io.cleanroom.node.model;

import io.cleanroom.eval.model.Batches;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.model.TrainingParameters;
import io.cleanroom.node.data.BankData;
import io.cleanroom.protocol.aggregate.SecureSum;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.study.PhaseProgress;
import io.cleanroom.protocol.study.Progress;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * The study's training phase at one bank: features, standardisation from secure sums, {@link
 * SecureLogisticRegression}, and the bank's outputs — {@code model/joint-model.json}, its Tribuo
 * model {@code model/tribuo/<bank>.tribuo}, the rows it trained on {@code
 * model/features/<bank>.csv}, and the scores of its own accounts {@code scores/<bank>.csv}.
 *
 * <p>Opened to every participant: the total row and alert counts and each feature's sum and sum of
 * squares over all banks (for the standardisation, which the model needs anyway), each bank's data
 * digest (for the model's provenance), and the final weights.
 */
public final class TrainingPhase {
  private TrainingPhase() {}

  /**
   * The training's sigmoid as the model's provenance states it: the function, where it clamps, its
   * error bound, and that it is exact over every input.
   */
  static final String SIGMOID =
      "clamped cubic: 0 below -3.6, 1 from 3.6, 0.5 + 0.206944u - 0.0052512u^3 between"
          + " (monotone, within 0.0298 of the logistic function; comparisons exact for every"
          + " input)";

  /** Fraction bits of the standardisation sums: exact to 2^−17 per row, room for 2^20 rows. */
  static final int STAT_BITS = 16;

  /**
   * What the phase produced: the model, the pooled row and alert counts it opened, this bank's rows
   * (in the order it trained on them) for the evaluation, and the training's provenance facts
   * (protocol, parameters, every bank's data digest, row counts), which every participant holds
   * identically.
   */
  public record Outcome(
      LogisticModel model,
      long rows,
      long positives,
      FeatureRows bankRows,
      Map<String, String> facts) {
    public Outcome {
      facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }
  }

  public static Outcome run(
      Arithmetic a,
      BankData data,
      double[] linkedRisk,
      int[] rowsByOwner,
      StudyPlan plan,
      Path outputs,
      SecureRandom random,
      Progress progress)
      throws IOException {
    TrainingParameters p = TrainingParameters.of(plan.getParametersMap());
    String window = plan.getParametersMap().get("window_end");
    // The bank's rows in a private random order: the order it trains in, and writes them in.
    FeatureRows rows =
        shuffled(
            AccountFeatures.compute(
                data, linkedRisk, window == null ? null : LocalDate.parse(window)),
            random);
    List<String> parties = a.transport().parties();
    Standardised std = standardise(a, rows, rowsByOwner, p.winsorize(), random);
    progress.report(PhaseProgress.TRAIN_STEPS_FROM / 2);

    Map<String, String> digests = exchangeDigests(a, data.digest());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("study", plan.getStudyId());
    facts.put("protocol", "secret-shared mini-batch logistic regression (cleanroom.v1)");
    facts.put("fraction_bits", Integer.toString(a.fixedPoint().fractionBits()));
    facts.put("sigmoid", SIGMOID);
    p.asPlan().forEach((k, v) -> facts.put(k, v));
    digests.forEach((bank, digest) -> facts.put("data_digest." + bank, digest));
    facts.put("rows", Long.toString(std.rows()));
    facts.put("alert_rows", Long.toString(std.positives()));

    long batchSeed = batchSeed(plan.getStudyId());
    Trained[] trained = new Trained[1];
    SecureLogisticTrainer trainer =
        new SecureLogisticTrainer(
            plan.getStudyId(),
            p,
            a.fixedPoint().fractionBits(),
            dataset -> {
              trained[0] = train(a, rows, std, rowsByOwner, p, batchSeed, random, progress);
              facts.put("clamped_row_steps", Long.toString(trained[0].clampedRowSteps()));
              return trained[0].model();
            },
            facts);
    Model<Label> tribuo =
        trainer.train(
            rows.toDataset(
                "model/features/" + data.bankId() + ".csv of study " + plan.getStudyId()));
    LogisticModel model = trained[0].model();

    Path modelDir = Files.createDirectories(outputs.resolve("model"));
    Map<String, Object> extra = new LinkedHashMap<>(facts);
    extra.put("participants", parties);
    model.writeJson(modelDir.resolve("joint-model.json"), extra);
    rows.write(modelDir.resolve("features").resolve(data.bankId() + ".csv"));
    Files.createDirectories(modelDir.resolve("tribuo"));
    tribuo.serializeToFile(modelDir.resolve("tribuo").resolve(data.bankId() + ".tribuo"));

    Files.createDirectories(outputs.resolve("scores"));
    try (BufferedWriter out =
        Files.newBufferedWriter(
            outputs.resolve("scores").resolve(data.bankId() + ".csv"), StandardCharsets.UTF_8)) {
      out.write("account_id,score\n");
      for (int i = 0; i < rows.size(); i++) {
        out.write(
            rows.accounts().get(i)
                + ","
                + String.format(Locale.ROOT, "%.9f", model.score(rows.x()[i]))
                + "\n");
      }
    }
    return new Outcome(model, std.rows(), std.positives(), rows, facts);
  }

  /**
   * The pooled rows' standardisation, from one secure sum: this bank's rows standardised with it,
   * and the pooled row and alert counts.
   */
  public record Standardised(LogisticModel scaler, double[][] z, long rows, long positives) {}

  /**
   * Opens the row count, the alert count and each feature's sum and sum of squares over all banks
   * (one secure sum of 2 + 2d elements), checks the row count against the public {@code
   * rowsByOwner}, and standardises this bank's rows with the pooled means and deviations.
   */
  public static Standardised standardise(
      Arithmetic a, FeatureRows rows, int[] rowsByOwner, double winsorize, SecureRandom random) {
    int d = rows.features().size();
    long[] own = new long[2 + 2 * d];
    own[0] = rows.size();
    own[1] = rows.positives();
    for (double[] x : rows.x()) {
      for (int j = 0; j < d; j++) {
        own[2 + j] += Math.round(Math.scalb(x[j], STAT_BITS));
        own[2 + d + j] += Math.round(Math.scalb(x[j] * x[j], STAT_BITS));
      }
    }
    long[] totals =
        SecureSum.sumAndOpen(
            new AdditiveSharing(a.transport(), Prg.fresh(random)), "train/statistics", own);
    long n = totals[0];
    long expected = 0;
    for (int r : rowsByOwner) {
      expected += r;
    }
    if (n != expected) {
      throw new IllegalStateException(
          "the banks report " + n + " rows but the joint graph has " + expected + " accounts");
    }
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = Math.scalb((double) totals[2 + j], -STAT_BITS) / n;
      double sq = Math.scalb((double) totals[2 + d + j], -STAT_BITS) / n;
      std[j] = Math.sqrt(Math.max(0, sq - mean[j] * mean[j]));
    }
    LogisticModel scaler =
        new LogisticModel(rows.features(), mean, std, winsorize, new double[d], 0);
    double[][] z = new double[rows.size()][];
    for (int i = 0; i < z.length; i++) {
      z[i] = scaler.standardise(rows.x()[i]);
    }
    return new Standardised(scaler, z, n, totals[1]);
  }

  /**
   * Trains on the standardised rows ({@link SecureLogisticRegression}) and returns the model;
   * {@code progress} hears the phase's fraction as {@link PhaseProgress} divides it.
   */
  public static Trained train(
      Arithmetic a,
      FeatureRows rows,
      Standardised s,
      int[] rowsByOwner,
      TrainingParameters p,
      long batchSeed,
      SecureRandom random,
      Progress progress) {
    int d = rows.features().size();
    SecureLogisticRegression.Trained t =
        SecureLogisticRegression.train(
            a, d, s.z(), rows.y(), rowsByOwner, s.positives(), p, batchSeed, progress);
    double[] w = t.weights();
    checkLogitLimit(a, s.z(), w, s.rows(), random);
    return new Trained(
        new LogisticModel(
            rows.features(),
            s.scaler().means(),
            s.scaler().stds(),
            p.winsorize(),
            Arrays.copyOf(w, d),
            w[d]),
        t.clampedRowSteps());
  }

  /** The trained model, and the number of row-steps whose logit the sigmoid clamped. */
  public record Trained(LogisticModel model, long clampedRowSteps) {}

  /**
   * Counts, at every bank with the opened weights, its rows whose final logit reaches {@link
   * SecureLogisticRegression#logitLimit}, opens the total (one secure sum) and refuses the model,
   * naming the count, if it is not 0.
   */
  static void checkLogitLimit(
      Arithmetic a, double[][] z, double[] w, long rows, SecureRandom random) {
    double limit = SecureLogisticRegression.logitLimit(a.fixedPoint().fractionBits());
    long beyond =
        SecureSum.sumAndOpen(
            new AdditiveSharing(a.transport(), Prg.fresh(random)),
            "train/logit-limit",
            new long[] {SecureLogisticRegression.beyond(z, w, limit)})[0];
    if (beyond != 0) {
      throw new IllegalStateException(
          "train: the joint model's logit reaches ±"
              + String.format(Locale.ROOT, "%.0f", limit)
              + ", where the secure steps stop being exact, on "
              + beyond
              + " of "
              + rows
              + " rows; the model is not released");
    }
  }

  private static FeatureRows shuffled(FeatureRows rows, SecureRandom random) {
    int n = rows.size();
    int[] order = Batches.identity(n);
    Batches.shuffle(order, random);
    List<String> ids = new ArrayList<>(n);
    double[][] x = new double[n][];
    int[] y = new int[n];
    for (int k = 0; k < n; k++) {
      ids.add(rows.accounts().get(order[k]));
      x[k] = rows.x()[order[k]];
      y[k] = rows.y()[order[k]];
    }
    return new FeatureRows(rows.features(), ids, x, y);
  }

  /** Every bank's data digest, by bank: each publishes its own 32 bytes to the others. */
  private static Map<String, String> exchangeDigests(Arithmetic a, String ownHex) {
    Map<String, String> out = new LinkedHashMap<>();
    byte[] own = HexFormat.of().parseHex(ownHex);
    long[] words = new long[4];
    java.nio.ByteBuffer.wrap(own).asLongBuffer().get(words);
    for (String q : a.transport().parties()) {
      boolean self = q.equals(a.transport().self());
      long[] got = a.publish("train/digest/" + q, q, self ? words : null, 4);
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(32);
      buf.asLongBuffer().put(got);
      out.put(q, HexFormat.of().formatHex(buf.array()));
    }
    return out;
  }

  /** The public seed of the batch order: the first 8 bytes of SHA-256("batch-order|" ‖ study). */
  public static long batchSeed(String studyId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(("batch-order|" + studyId).getBytes(StandardCharsets.UTF_8));
      return java.nio.ByteBuffer.wrap(h).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
