package io.cleanroom.testbed.generate;

import java.util.Arrays;

/**
 * One day's ordinary transfers, collected in any order and then sorted by time. Kept in primitive
 * arrays and reused day after day, so memory is bounded by the busiest day, not the window.
 */
final class DayBatch {
  private int[] second = new int[1024];
  private int[] from = new int[1024];
  private int[] to = new int[1024];
  private long[] cents = new long[1024];
  private long[] order = new long[1024];
  private int size;

  void clear() {
    size = 0;
  }

  void add(int second, int from, int to, long cents) {
    if (size == this.second.length) {
      int n = size * 2;
      this.second = Arrays.copyOf(this.second, n);
      this.from = Arrays.copyOf(this.from, n);
      this.to = Arrays.copyOf(this.to, n);
      this.cents = Arrays.copyOf(this.cents, n);
      order = Arrays.copyOf(order, n);
    }
    this.second[size] = second;
    this.from[size] = from;
    this.to[size] = to;
    this.cents[size] = cents;
    size++;
  }

  /** Orders the transfers by time; equal times keep the order they were added in. */
  void sort() {
    for (int i = 0; i < size; i++) {
      order[i] = (long) second[i] << 32 | i;
    }
    Arrays.sort(order, 0, size);
  }

  int size() {
    return size;
  }

  /** The time of the {@code rank}-th transfer in time order (after {@link #sort()}). */
  int second(int rank) {
    return second[index(rank)];
  }

  int from(int rank) {
    return from[index(rank)];
  }

  int to(int rank) {
    return to[index(rank)];
  }

  long cents(int rank) {
    return cents[index(rank)];
  }

  private int index(int rank) {
    return (int) order[rank];
  }
}
