package io.cleanroom.eval.model;

import java.util.random.RandomGenerator;

/**
 * How the joint model's training cuts rows into batches, in one place for the secure protocol and
 * its plaintext twin, which must agree exactly: K = max(1, ⌈N/B⌉) batches, batch k made of rows
 * ⌊k·n_q/K⌋ .. ⌊(k+1)·n_q/K⌋ of every bank q, visited each epoch in an order reshuffled by {@link
 * #shuffle} from a seed every party knows.
 */
public final class Batches {
  private Batches() {}

  /** The number of batches for {@code rows} rows of batch size {@code batchSize}: at least 1. */
  public static int count(long rows, int batchSize) {
    return (int) Math.max(1, (rows + batchSize - 1) / batchSize);
  }

  /** The first row of chunk {@code k} of {@code n} rows cut into {@code chunks}: ⌊k·n/K⌋. */
  public static int chunkStart(int n, int chunks, int k) {
    return (int) ((long) k * n / chunks);
  }

  /** 0, 1, …, n−1. */
  public static int[] identity(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /** Shuffles {@code a} in place (Fisher–Yates, drawing from the last position down). */
  public static void shuffle(int[] a, RandomGenerator random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
