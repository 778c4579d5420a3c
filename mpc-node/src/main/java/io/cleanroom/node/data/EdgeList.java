package io.cleanroom.node.data;

import java.util.Arrays;

/**
 * Sums transfers per ordered pair {@code (a, b)} of non-negative ints while transactions stream
 * past, then sorts the pairs by {@code a} and {@code b}. Memory grows with the number of distinct
 * pairs, not of transfers.
 */
final class EdgeList {
  private LongTable pairs = new LongTable();
  private int[] a = new int[16];
  private int[] b = new int[16];
  private double[] amount = new double[16];
  private int[] transfers = new int[16];
  private int size;

  /** Adds one transfer of {@code value} from {@code a} to {@code b}. */
  void add(int a, int b, double value) {
    int e = pairs.add(((long) a << 32) | b);
    if (e == size) {
      if (size == this.a.length) {
        int capacity = size + (size >> 1);
        this.a = Arrays.copyOf(this.a, capacity);
        this.b = Arrays.copyOf(this.b, capacity);
        amount = Arrays.copyOf(amount, capacity);
        transfers = Arrays.copyOf(transfers, capacity);
      }
      this.a[e] = a;
      this.b[e] = b;
      size++;
    }
    amount[e] += value;
    transfers[e]++;
  }

  /** The number of distinct pairs. */
  int size() {
    return size;
  }

  /**
   * Sorts the pairs by {@code a}, then {@code b}, and stops accepting transfers.
   *
   * @param aRange an upper bound on {@code a}, exclusive
   * @param bRange an upper bound on {@code b}, exclusive
   */
  void sort(int aRange, int bRange) {
    pairs = null;
    // Two stable counting sorts, least significant key first: linear in pairs plus ranges.
    int[] byB = countingOrder(b, null, bRange);
    int[] order = countingOrder(a, byB, aRange);
    a = permute(a, order);
    b = permute(b, order);
    transfers = permute(transfers, order);
    double[] sortedAmount = new double[size];
    for (int i = 0; i < size; i++) {
      sortedAmount[i] = amount[order[i]];
    }
    amount = sortedAmount;
  }

  /** First elements of the pairs, in sorted order. */
  int[] a() {
    return a;
  }

  /** Second elements of the pairs, in sorted order. */
  int[] b() {
    return b;
  }

  /** Sums per pair, in sorted order. */
  double[] amount() {
    return amount;
  }

  /** Transfers per pair, in sorted order. */
  int[] transfers() {
    return transfers;
  }

  private int[] countingOrder(int[] key, int[] input, int range) {
    int[] start = new int[range + 1];
    for (int i = 0; i < size; i++) {
      start[key[i] + 1]++;
    }
    for (int k = 0; k < range; k++) {
      start[k + 1] += start[k];
    }
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      int e = input == null ? i : input[i];
      out[start[key[e]]++] = e;
    }
    return out;
  }

  private int[] permute(int[] values, int[] order) {
    int[] out = new int[size];
    for (int i = 0; i < size; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }
}
