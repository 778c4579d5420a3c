package io.cleanroom.eval.model;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * The plaintext twin of the secure training, as a Tribuo {@link Trainer}: the same class-weighted,
 * L2-regularised mini-batch gradient descent on standardised, winsorised features, in double
 * precision with the exact logistic function (or, for measuring the approximation's effect alone,
 * the secure protocol's clamped cubic). The testbed trains it on the pooled rows of every bank.
 *
 * <p>Per step, for a batch of B rows: w ← w − η_e·((1/B)·Σ_i c_i·(σ(u_i) − y_i)·z_i + λ·w), the
 * intercept unregularised, with class weights c from {@link TrainingParameters#classWeights} and
 * η_e the learning rate of epoch e under {@link TrainingParameters.Schedule}. Batches are a fresh
 * random partition of the rows each epoch.
 */
public final class PlaintextLogisticTrainer implements Trainer<Label> {

  @Config(description = "number of passes over the rows")
  private int epochs;

  @Config(description = "rows per gradient step")
  private int batchSize;

  @Config(description = "gradient step size")
  private double learningRate;

  @Config(description = "L2 regularisation of every weight but the intercept")
  private double l2;

  @Config(description = "standardised features are clipped to plus or minus this")
  private double winsorize;

  @Config(description = "step size of each epoch: constant or inverse-epoch")
  private String schedule = TrainingParameters.Schedule.INVERSE_EPOCH.planName();

  @Config(description = "seed of the batch order")
  private long seed;

  @Config(description = "use the secure protocol's clamped cubic sigmoid instead of the exact one")
  private boolean cubicSigmoid;

  private int invocations;

  /** For OLCUT configuration. */
  @SuppressWarnings("unused")
  private PlaintextLogisticTrainer() {}

  public PlaintextLogisticTrainer(TrainingParameters p, long seed, boolean cubicSigmoid) {
    this.epochs = p.epochs();
    this.batchSize = p.batchSize();
    this.learningRate = p.learningRate();
    this.l2 = p.l2();
    this.winsorize = p.winsorize();
    this.schedule = p.schedule().planName();
    this.seed = seed;
    this.cubicSigmoid = cubicSigmoid;
  }

  private TrainingParameters parameters() {
    return new TrainingParameters(
        epochs, batchSize, learningRate, l2, winsorize, TrainingParameters.Schedule.of(schedule));
  }

  /** Trains on raw feature rows; standardisation comes from the rows themselves. */
  public LogisticModel fit(FeatureRows rows) {
    int n = rows.size();
    int d = rows.features().size();
    LogisticModel scaler = standardisation(rows);
    double[] mean = scaler.means();
    double[] std = scaler.stds();
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = scaler.standardise(rows.x()[i]);
    }
    double[] cw = TrainingParameters.classWeights(n, rows.positives());
    double[] w = new double[d + 1];
    double[] grad = new double[d + 1];
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = Batches.identity(n);
    TrainingParameters.Schedule rate = parameters().schedule();
    for (int epoch = 0; epoch < epochs; epoch++) {
      Batches.shuffle(order, random);
      double factor = rate.factor(epoch);
      for (int from = 0; from < n; from += batchSize) {
        step(
            z,
            rows.y(),
            Arrays.copyOfRange(order, from, Math.min(n, from + batchSize)),
            cw,
            w,
            grad,
            factor);
      }
    }
    double[] weights = Arrays.copyOf(w, d);
    return new LogisticModel(rows.features(), mean, std, winsorize, weights, w[d]);
  }

  /**
   * Trains on each bank's rows in the order the bank trained on them, with exactly the secure
   * protocol's batches: K = ⌈N/B⌉ batches, batch k made of rows ⌊k·n_q/K⌋ .. ⌊(k+1)·n_q/K⌋ of every
   * bank q, visited each epoch in the order drawn from {@code batchSeed}. The only differences from
   * the secure run are then the sigmoid and fixed-point arithmetic.
   */
  public LogisticModel fitAsBatched(List<FeatureRows> banks, long batchSeed) {
    FeatureRows pooled = FeatureRows.concat(banks);
    LogisticModel scaler = standardisation(pooled);
    int n = pooled.size();
    int d = pooled.features().size();
    int batches = Batches.count(n, batchSize);
    List<int[]> members = new ArrayList<>();
    for (int k = 0; k < batches; k++) {
      List<Integer> rows = new ArrayList<>();
      int offset = 0;
      for (FeatureRows b : banks) {
        int from = Batches.chunkStart(b.size(), batches, k);
        int to = Batches.chunkStart(b.size(), batches, k + 1);
        for (int i = from; i < to; i++) {
          rows.add(offset + i);
        }
        offset += b.size();
      }
      members.add(rows.stream().mapToInt(Integer::intValue).toArray());
    }
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = scaler.standardise(pooled.x()[i]);
    }
    long positives = pooled.positives();
    double[] cw = TrainingParameters.classWeights(n, positives);
    double[] w = new double[d + 1];
    double[] grad = new double[d + 1];
    SplittableRandom order = new SplittableRandom(batchSeed);
    int[] visit = Batches.identity(batches);
    TrainingParameters.Schedule rate = parameters().schedule();
    for (int epoch = 0; epoch < epochs; epoch++) {
      Batches.shuffle(visit, order);
      double factor = rate.factor(epoch);
      for (int k : visit) {
        int[] rows = members.get(k);
        if (rows.length > 0) {
          step(z, pooled.y(), rows, cw, w, grad, factor);
        }
      }
    }
    return new LogisticModel(
        pooled.features(), scaler.means(), scaler.stds(), winsorize, Arrays.copyOf(w, d), w[d]);
  }

  private void step(
      double[][] z, int[] y, int[] rows, double[] cw, double[] w, double[] grad, double factor) {
    int d = w.length - 1;
    Arrays.fill(grad, 0);
    for (int i : rows) {
      double u = w[d];
      for (int j = 0; j < d; j++) {
        u += w[j] * z[i][j];
      }
      double s = cubicSigmoid ? clampedCubicSigmoid(u) : 1 / (1 + Math.exp(-u));
      double e = cw[y[i]] * (s - y[i]);
      for (int j = 0; j < d; j++) {
        grad[j] += e * z[i][j];
      }
      grad[d] += e;
    }
    double eta = learningRate * factor;
    double rate = eta / rows.length;
    for (int j = 0; j < d; j++) {
      w[j] -= rate * grad[j] + eta * l2 * w[j];
    }
    w[d] -= rate * grad[d];
  }

  /** Means and population standard deviations of the rows' features. */
  private LogisticModel standardisation(FeatureRows rows) {
    int n = rows.size();
    int d = rows.features().size();
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] r : rows.x()) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
        std[j] += r[j] * r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
      std[j] = Math.sqrt(Math.max(0, std[j] / n - mean[j] * mean[j]));
    }
    return new LogisticModel(rows.features(), mean, std, winsorize, new double[d], 0);
  }

  /**
   * The secure training's approximation of σ: 0 below −{@link #CLAMP}, 1 from {@link #CLAMP} on,
   * and the cubic 1/2 + c1·u + c3·u³ between, which reaches 0 and 1 at ∓{@link #CLAMP}; monotone,
   * in [0, 1] and within 0.0298 of σ everywhere (protocol: {@code
   * io.cleanroom.protocol.mpc.ClampedCubicSigmoid}).
   */
  public static double clampedCubicSigmoid(double u) {
    if (u >= CLAMP) {
      return 1.0;
    }
    if (u < -CLAMP) {
      return 0.0;
    }
    return 0.5 + CUBIC_C1 * u + CUBIC_C3 * u * u * u;
  }

  /** Where the clamped cubic reaches 0 and 1. */
  public static final double CLAMP = 3.6;

  /** The cubic's coefficients of u³ and u: c1 = (1/2 − c3·B³)/B makes it 1 at B. */
  public static final double CUBIC_C3 = -0.00525120027434844;

  public static final double CUBIC_C1 = (0.5 - CUBIC_C3 * CLAMP * CLAMP * CLAMP) / CLAMP;

  @Override
  public Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
    return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
  }

  @Override
  public synchronized Model<Label> train(
      Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
    if (invocationCount != INCREMENT_INVOCATION_COUNT) {
      invocations = invocationCount;
    }
    invocations++;
    List<String> names = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    int[] y = new int[examples.size()];
    int i = 0;
    for (Example<Label> e : examples) {
      if (names.isEmpty()) {
        for (Feature f : e) {
          names.add(f.getName());
        }
      }
      double[] row = new double[names.size()];
      for (Feature f : e) {
        int j = names.indexOf(f.getName());
        if (j >= 0) {
          row[j] = f.getValue();
        }
      }
      xs.add(row);
      ids.add(Integer.toString(i));
      y[i++] = e.getOutput().equals(LogisticModel.ALERT) ? 1 : 0;
    }
    LogisticModel m = fit(new FeatureRows(names, ids, xs.toArray(new double[0][]), y));
    return m.toTribuo(
        "plaintext-logistic",
        examples.getProvenance(),
        getProvenance(),
        Map.of("protocol", "plaintext reference (pooled rows)"));
  }

  @Override
  public int getInvocationCount() {
    return invocations;
  }

  @Override
  public TrainerProvenance getProvenance() {
    return new TrainerProvenanceImpl(this);
  }

  @Override
  public String toString() {
    return "PlaintextLogisticTrainer(" + parameters() + ", cubic=" + cubicSigmoid + ")";
  }
}
