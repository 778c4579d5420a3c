package io.cleanroom.node.model;

import io.cleanroom.eval.model.Batches;
import io.cleanroom.eval.model.TrainingParameters;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.mpc.MaskedRows;
import io.cleanroom.protocol.study.PhaseProgress;
import io.cleanroom.protocol.study.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Logistic regression trained on secret shares over horizontally partitioned rows: each bank owns
 * the rows of its accounts, and only the final weights and the number of clamped row-steps are
 * opened.
 *
 * <ol>
 *   <li><b>Batches.</b> Every owner shuffles its rows privately and cuts them into K = ⌈N/B⌉
 *       chunks; batch k is chunk k of every owner, so each batch mixes all banks in proportion. The
 *       chunk sizes follow from the public row counts. Each epoch visits the batches in a fresh
 *       order drawn from a public seed.
 *   <li><b>Sharing.</b> Each batch's rows x (standardised features and a 1 for the intercept) and
 *       (η·c/B)·x (the row's class weight c and the step size η/B of its batch of B rows folded in,
 *       encoded with s = ⌈log2(B/η)⌉ extra fraction bits so that they keep f bits of precision) are
 *       {@link MaskedRows masked} once by their owners; labels are input-shared. Nothing else about
 *       a row ever leaves its bank.
 *   <li><b>Step</b> per batch, in epoch e with the public factor κ = {@link
 *       TrainingParameters.Schedule#factor}(e): u = X·w (one opening of the column mask, d+1
 *       elements); κ·σ̂(u) by {@link Arithmetic#sigmoidClamped} (11 rounds, about 10.2 elements per
 *       row; the factor folded into its coefficients at no cost); error = κ·σ̂(u) − κ·y (labels are
 *       shared as 0/1, so κ·y is a public multiple); the step g = ((η·c/B)·X)ᵀ·error (one opening
 *       of the row mask, one element per row); then w ← w − g − κ·η·λ·w, the intercept
 *       unregularised, with one truncation by f + s bits (one round of d+1 elements). In all 14
 *       rounds and about 11.2 elements per row per epoch, plus 2(d+1) elements per batch, to each
 *       other party.
 *   <li><b>Release.</b> w is opened to every participant at the end.
 * </ol>
 *
 * <p>The weights stay shared throughout: every value a party receives is uniform (masked rows,
 * masked weights, masked errors, truncation and comparison openings), so it learns the final
 * weights, the number of row-steps whose logit was clamped (one number for the run) and the public
 * sizes only. This is the masked-data mini-batch training of Mohassel and Zhang 2017 ("SecureML",
 * §4), with a clamped cubic in place of their clamped line.
 *
 * <p><b>Equality with plaintext.</b> Against the same algorithm in double precision with the exact
 * σ ({@link io.cleanroom.eval.model.PlaintextLogisticTrainer}) the differences are the sigmoid's
 * approximation (≤ 0.0298 for every logit, monotone and in [0, 1], so that no row's error ever
 * points the wrong way), the fixed-point error of each step (≤ 2^−f per truncation, with η/B
 * encoded to f bits), and the batch order. The testbed measures the result: AUC and weight cosine
 * against the plaintext model on the pooled rows.
 */
public final class SecureLogisticRegression {
  private SecureLogisticRegression() {}

  /**
   * The largest logit |u| for which a step is exact at f fraction bits: 2^(62−2f) (2^22 at f = 20).
   * The forward product arrives at scale 2^(2f) and the sigmoid's input truncation is exact below
   * 2^62; beyond it the sigmoid still lies in [0, 1] (its comparisons act on a value the truncation
   * keeps below 2^34), but no longer on the row's logit. Bounded features and |σ̂ − y| ≤ 1 keep the
   * weights far from it; {@link TrainingPhase} still counts, with the opened weights, the rows
   * whose final logit reaches it and refuses the model if there is any.
   */
  public static double logitLimit(int fractionBits) {
    return Math.scalb(1.0, 62 - 2 * fractionBits);
  }

  /**
   * The number of this bank's standardised rows {@code z} whose logit under {@code w} (d weights
   * and the intercept) is not below {@code limit} in absolute value.
   */
  public static long beyond(double[][] z, double[] w, double limit) {
    int d = w.length - 1;
    long outside = 0;
    for (double[] row : z) {
      double u = w[d];
      for (int j = 0; j < d; j++) {
        u += w[j] * row[j];
      }
      if (!(Math.abs(u) < limit)) {
        outside++;
      }
    }
    return outside;
  }

  /** The bound every exact sum of a step must stay below. */
  static final double SUM_LIMIT = Math.scalb(1.0, 62);

  /**
   * Dealer elements fetched ahead at a time: the steps of one chunk (about 9 per row and 10 per
   * column each) are fetched while the previous chunk runs.
   */
  static final int PREFETCH_ELEMENTS = 1 << 21;

  /**
   * Dealer elements per row of one step, about: the sigmoid's 2 truncation masks (3 each), power
   * tuple (3), edaBit (1 and 36 bits), AND triples (3·132 bits), daBits (2 and 2 bits) and product
   * triple (3), and the backward product's row mask (1).
   */
  static final int DEALT_PER_ROW = 23;

  /**
   * Trains and opens the weights.
   *
   * @param d the number of features (public)
   * @param z this party's rows: standardised, winsorised features (d columns)
   * @param y this party's labels, 0 or 1
   * @param rowsByOwner every party's number of rows (public)
   * @param positives the number of rows labelled 1 over all parties (public, from a secure sum)
   * @param batchSeed public seed of the batch order, the same at every party
   * @param progress hears the training phase's fraction: masking the batches up to {@link
   *     PhaseProgress#TRAIN_STEPS_FROM}, then each gradient step up to {@link
   *     PhaseProgress#TRAIN_STEPS_TO}
   * @return d weights followed by the intercept, and the run's number of clamped row-steps
   */
  public static Trained train(
      Arithmetic a,
      int d,
      double[][] z,
      int[] y,
      int[] rowsByOwner,
      long positives,
      TrainingParameters p,
      long batchSeed,
      Progress progress) {
    int self = a.transport().selfIndex();
    List<String> parties = a.transport().parties();
    FixedPoint fp = a.fixedPoint();
    int f = fp.fractionBits();
    if (z.length != rowsByOwner[self] || y.length != z.length) {
      throw new IllegalArgumentException(
          z.length + " rows and " + y.length + " labels, expected " + rowsByOwner[self]);
    }
    long total = 0;
    for (int n : rowsByOwner) {
      total += n;
    }
    if (total == 0) {
      throw new IllegalArgumentException("no rows to train on");
    }
    checkRows(z, d, p.winsorize());
    int cols = d + 1;
    double[] cw = TrainingParameters.classWeights(total, positives);
    int batches = Batches.count(total, p.batchSize());
    int largest = 0;
    for (int k = 0; k < batches; k++) {
      int rows = 0;
      for (int n : rowsByOwner) {
        rows += Batches.chunkStart(n, batches, k + 1) - Batches.chunkStart(n, batches, k);
      }
      largest = Math.max(largest, rows);
    }
    // Each step's product sums B terms η·c/B·x·e at scale 2^(2f+s), |x| ≤ winsorize (checked
    // below) and |e| ≤ 1 + 2^−f < 1.5, since the clamped sigmoid lies in [0, 1] for every input.
    int extra = stepBits(p, largest);
    double bound =
        Math.scalb(1.0, 2 * f + extra)
            * p.learningRate()
            * Math.max(cw[0], cw[1])
            * p.winsorize()
            * 1.5;
    if (bound >= SUM_LIMIT) {
      throw new IllegalArgumentException(
          "batches of "
              + largest
              + " rows with class weight "
              + Math.max(cw[0], cw[1])
              + " would overflow the ring at "
              + f
              + " fraction bits; lower batch_size or fraction bits");
    }

    long[] ownLabels = new long[z.length];
    for (int k = 0; k < z.length; k++) {
      ownLabels[k] = y[k] == 1 ? 1 : 0;
    }
    long[][] labels = new long[parties.size()][];
    for (int q = 0; q < parties.size(); q++) {
      String step = "train/labels/" + parties.get(q);
      labels[q] =
          q == self
              ? a.inputOwn(step, ownLabels)
              : a.inputFrom(step, parties.get(q), rowsByOwner[q]);
    }

    Progress masking =
        progress.part(PhaseProgress.TRAIN_STEPS_FROM / 2, PhaseProgress.TRAIN_STEPS_FROM);
    Progress steps = progress.part(PhaseProgress.TRAIN_STEPS_FROM, PhaseProgress.TRAIN_STEPS_TO);
    List<MaskedRows> forward = new ArrayList<>(batches);
    List<MaskedRows> backward = new ArrayList<>(batches);
    List<long[]> batchLabels = new ArrayList<>(batches);
    List<Integer> batchRows = new ArrayList<>(batches);
    for (int k = 0; k < batches; k++) {
      int[] rows = new int[parties.size()];
      int sum = 0;
      long[] yk = new long[0];
      for (int q = 0; q < rows.length; q++) {
        int from = Batches.chunkStart(rowsByOwner[q], batches, k);
        int to = Batches.chunkStart(rowsByOwner[q], batches, k + 1);
        rows[q] = to - from;
        sum += rows[q];
        yk = concat(yk, Arrays.copyOfRange(labels[q], from, to));
      }
      int from = Batches.chunkStart(z.length, batches, k);
      int to = Batches.chunkStart(z.length, batches, k + 1);
      long[] x = new long[(to - from) * cols];
      long[] cx = new long[x.length];
      for (int row = from; row < to; row++) {
        double step = sum == 0 ? 0 : cw[y[row]] * p.learningRate() / sum;
        int base = (row - from) * cols;
        for (int j = 0; j < cols; j++) {
          double v = j < cols - 1 ? z[row][j] : 1.0;
          x[base + j] = fp.encode(v);
          cx[base + j] = Math.round(Math.scalb(step * v, f + extra));
        }
      }
      forward.add(MaskedRows.mask(a, "train/x/" + k, rows, cols, x));
      backward.add(MaskedRows.mask(a, "train/cx/" + k, rows, cols, cx));
      batchLabels.add(yk);
      batchRows.add(sum);
      masking.report(k + 1, batches);
    }

    // The batch of every step, all epochs: the public order the dealer's randomness follows.
    SplittableRandom batchOrder = new SplittableRandom(batchSeed);
    int[] schedule = new int[Math.multiplyExact(p.epochs(), batches)];
    int[] visit = Batches.identity(batches);
    for (int epoch = 0; epoch < p.epochs(); epoch++) {
      Batches.shuffle(visit, batchOrder);
      System.arraycopy(visit, 0, schedule, epoch * batches, batches);
    }
    int chunk = Math.max(1, PREFETCH_ELEMENTS / (DEALT_PER_ROW * largest + 10 * cols));
    long[] w = new long[cols];
    long[] clamped = new long[1];

    for (int s = 0; s < schedule.length; s++) {
      if (s % chunk == 0) {
        // Ask for the next chunk's randomness while this one runs; the first chunk as well.
        for (int c = s == 0 ? 0 : s + chunk; c <= s + chunk && c < schedule.length; c += chunk) {
          int from = c;
          a.prefetch(
              r -> {
                for (int t = from; t < Math.min(schedule.length, from + chunk); t++) {
                  int k = schedule[t];
                  if (batchRows.get(k) > 0) {
                    announceStep(
                        a, r, stepName(t, batches, k), forward.get(k), backward.get(k), extra);
                  }
                }
              });
        }
      }
      steps.report(s, schedule.length);
      int k = schedule[s];
      int rows = batchRows.get(k);
      if (rows == 0) {
        continue;
      }
      String step = stepName(s, batches, k);
      // the epoch's step-size factor κ, public: e = κ·(σ̂ − y) and the decay κ·η·λ
      double factor = p.schedule().factor(s / batches);
      long decay = Math.round(Math.scalb(factor * p.learningRate() * p.l2(), f + extra));
      long[] u = forward.get(k).timesRaw(step + "/forward", w);
      long[] sig = a.sigmoidClamped(step + "/sigmoid", u, 2 * f, clamped, factor);
      long[] e = a.sub(sig, a.mulPublic(batchLabels.get(k), Math.round(Math.scalb(factor, f))));
      long[] delta = backward.get(k).transposeTimesRaw(step + "/backward", e);
      for (int j = 0; j < cols - 1; j++) {
        delta[j] += w[j] * decay;
      }
      w = a.sub(w, a.truncate(step + "/update", delta, f + extra));
    }
    steps.report(1);
    double[] weights = fp.decode(a.open("train/weights", w));
    return new Trained(weights, a.open("train/clamped", clamped)[0]);
  }

  /**
   * The opened weights (d of them, then the intercept) and the number of row-steps whose logit the
   * sigmoid clamped (|u| ≥ 3.6), over the whole run.
   */
  public record Trained(double[] weights, long clampedRowSteps) {}

  /**
   * Refuses rows of the wrong width or with a value that is not a standardised feature winsorised
   * to ±{@code winsorize}: the overflow bound of every step assumes |x| ≤ winsorize.
   */
  static void checkRows(double[][] z, int d, double winsorize) {
    for (int i = 0; i < z.length; i++) {
      if (z[i].length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + z[i].length + " features, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!(Math.abs(z[i][j]) <= winsorize)) {
          throw new IllegalArgumentException(
              "row "
                  + i
                  + ", feature "
                  + j
                  + ": "
                  + z[i][j]
                  + " is not a standardised value winsorised to ±"
                  + winsorize);
        }
      }
    }
  }

  /**
   * Extra fraction bits of the folded step size η·c/B: ⌈log2(B/η)⌉ for the largest batch B, so that
   * it keeps the f bits of relative precision a feature value has.
   */
  static int stepBits(TrainingParameters p, int largestBatch) {
    return Math.max(0, (int) Math.ceil(Math.log(largestBatch / p.learningRate()) / Math.log(2)));
  }

  /** The name of step s of the schedule, which trains on batch k: train/&lt;epoch&gt;/&lt;k&gt;. */
  private static String stepName(int s, int batches, int k) {
    return "train/" + (s / batches) + "/" + k;
  }

  /**
   * The dealer's randomness of one step, in the order the step asks for it; {@code extra} is the
   * step size's {@link #stepBits}.
   */
  private static void announceStep(
      Arithmetic a,
      CorrelatedRandomness r,
      String step,
      MaskedRows forward,
      MaskedRows backward,
      int extra) {
    int f = a.fixedPoint().fractionBits();
    forward.announceTimes(r, step + "/forward");
    a.announceSigmoidClamped(r, step + "/sigmoid", forward.rows(), 2 * f);
    backward.announceTransposeTimes(r, step + "/backward");
    Arithmetic.announceTruncate(r, step + "/update", forward.cols(), f + extra);
  }

  private static long[] concat(long[] x, long[] y) {
    long[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }
}
