package io.cleanroom.node.data;

/**
 * Money moved between two accounts of this bank, summed over all transfers per ordered pair of
 * accounts: edge {@code e} carries {@link #amount(int)} from account {@link #src(int)} to account
 * {@link #dst(int)} (indexes as in {@link BankData}) in {@link #transfers(int)} transfers.
 *
 * <p>Edges are sorted by source, then destination, so each account's outgoing edges are contiguous.
 * A self-transfer (the same account on both sides) is kept as an edge from the account to itself:
 * it is unusual, and whether it matters is for the features to decide, not the loader.
 *
 * <p>Immutable.
 */
public final class Flows {
  private final int[] src;
  private final int[] dst;
  private final double[] amount;
  private final int[] transfers;

  Flows(int[] src, int[] dst, double[] amount, int[] transfers) {
    this.src = src;
    this.dst = dst;
    this.amount = amount;
    this.transfers = transfers;
  }

  /** The number of edges, i.e. of distinct ordered account pairs. */
  public int size() {
    return src.length;
  }

  /** The sending account of edge {@code e}. */
  public int src(int e) {
    return src[e];
  }

  /** The receiving account of edge {@code e}. */
  public int dst(int e) {
    return dst[e];
  }

  /** The sum of the amounts of edge {@code e}'s transfers, in TWD. */
  public double amount(int e) {
    return amount[e];
  }

  /** How many transfers edge {@code e} sums. */
  public int transfers(int e) {
    return transfers[e];
  }
}
