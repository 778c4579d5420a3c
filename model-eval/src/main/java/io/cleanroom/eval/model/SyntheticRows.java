package io.cleanroom.eval.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Training rows drawn from a public seed, for the training benchmark: every party draws its own
 * slice of the same rows, and the benchmark's plaintext run draws them all, without any data files.
 *
 * <p>Row i (0-based, over all parties) comes from its own generator seeded with {@code seed} and i.
 * Its {@code features} raw values are x_j = j + (1 + j/4)·g_j with g_j standard normal, and its
 * label is 1 with probability σ(b + Σ_j w_j·g_j), w_j = 0.6·cos(j), b = {@value #INTERCEPT}: about
 * 8% positives (7.7% of 1M rows with 16 features), a heavy imbalance as in alert-account labels.
 * Party q of P owns rows ⌊q·n/P⌋ .. ⌊(q+1)·n/P⌋.
 *
 * @param rows rows over all parties
 * @param features features per row
 * @param seed the public seed
 */
public record SyntheticRows(int rows, int features, long seed) {

  static final double INTERCEPT = -3.5;

  public SyntheticRows {
    if (rows < 1 || features < 1 || features > 1000) {
      throw new IllegalArgumentException(
          "synthetic rows need rows ≥ 1 and 1..1000 features, got " + rows + " × " + features);
    }
  }

  /** From plan parameters {@code rows}, {@code features} and {@code seed}. */
  public static SyntheticRows of(Map<String, String> plan) {
    try {
      return new SyntheticRows(
          Integer.parseInt(plan.getOrDefault("rows", "1000000")),
          Integer.parseInt(plan.getOrDefault("features", "16")),
          Long.parseLong(plan.getOrDefault("seed", "1")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("synthetic rows: " + e.getMessage(), e);
    }
  }

  /** These rows as plan parameters. */
  public Map<String, String> asPlan() {
    return Map.of(
        "rows", Integer.toString(rows),
        "features", Integer.toString(features),
        "seed", Long.toString(seed));
  }

  /** Every party's number of rows. */
  public int[] rowsByOwner(int parties) {
    int[] out = new int[parties];
    for (int q = 0; q < parties; q++) {
      out[q] = start(q + 1, parties) - start(q, parties);
    }
    return out;
  }

  /** The rows party {@code party} of {@code parties} owns. */
  public FeatureRows part(int party, int parties) {
    if (party < 0 || party >= parties) {
      throw new IllegalArgumentException("party " + party + " of " + parties);
    }
    int from = start(party, parties);
    int to = start(party + 1, parties);
    List<String> names = new ArrayList<>(features);
    for (int j = 0; j < features; j++) {
      names.add(String.format("f%02d", j));
    }
    List<String> ids = new ArrayList<>(to - from);
    double[][] x = new double[to - from][features];
    int[] y = new int[to - from];
    for (int i = from; i < to; i++) {
      SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      double logit = INTERCEPT;
      for (int j = 0; j < features; j++) {
        double g = r.nextGaussian();
        x[i - from][j] = j + (1 + j / 4.0) * g;
        logit += 0.6 * Math.cos(j) * g;
      }
      y[i - from] = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      ids.add("row-" + i);
    }
    return new FeatureRows(names, ids, x, y);
  }

  private int start(int party, int parties) {
    return Batches.chunkStart(rows, parties, party);
  }
}
