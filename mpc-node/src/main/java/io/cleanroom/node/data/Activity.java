package io.cleanroom.node.data;

/**
 * Per-account totals over all of the bank's transactions, the raw material of account features.
 * "Incoming" and "outgoing" include transfers within this bank and across banks; the cross-bank
 * figures are the part with another bank on the other side. A self-transfer counts once as outgoing
 * and once as incoming, and the account is then its own counterparty.
 *
 * <p>Immutable.
 */
public final class Activity {
  /** {@link #firstSeen(int)} and {@link #lastSeen(int)} of an account without transactions. */
  public static final long NO_TIME = Long.MIN_VALUE;

  // Each account's figures sit together so that adding a transaction touches one or two cache
  // lines per account instead of one per figure; counts are exact in a double up to 2^53.
  static final int IN_COUNT = 0;
  static final int OUT_COUNT = 1;
  static final int CROSS_IN_COUNT = 2;
  static final int CROSS_OUT_COUNT = 3;
  static final int IN_SUM = 4;
  static final int OUT_SUM = 5;
  static final int CROSS_IN_SUM = 6;
  static final int CROSS_OUT_SUM = 7;
  static final int FIGURES = 8;

  private final double[] figures;
  private final long[] times;
  private final int[] parties;

  /**
   * @param figures {@link #FIGURES} values per account, at the offsets above
   * @param times first and last epoch second per account
   * @param parties distinct incoming and outgoing counterparties per account
   */
  Activity(double[] figures, long[] times, int[] parties) {
    this.figures = figures;
    this.times = times;
    this.parties = parties;
  }

  /** Transfers received by account {@code a}. */
  public int incomingCount(int a) {
    return (int) figures[a * FIGURES + IN_COUNT];
  }

  /** Transfers sent by account {@code a}. */
  public int outgoingCount(int a) {
    return (int) figures[a * FIGURES + OUT_COUNT];
  }

  /** Total received by account {@code a}, in TWD. */
  public double incomingSum(int a) {
    return figures[a * FIGURES + IN_SUM];
  }

  /** Total sent by account {@code a}, in TWD. */
  public double outgoingSum(int a) {
    return figures[a * FIGURES + OUT_SUM];
  }

  /** Transfers account {@code a} received from other banks. */
  public int crossBankIncomingCount(int a) {
    return (int) figures[a * FIGURES + CROSS_IN_COUNT];
  }

  /** Transfers account {@code a} sent to other banks. */
  public int crossBankOutgoingCount(int a) {
    return (int) figures[a * FIGURES + CROSS_OUT_COUNT];
  }

  /** Total account {@code a} received from other banks, in TWD. */
  public double crossBankIncomingSum(int a) {
    return figures[a * FIGURES + CROSS_IN_SUM];
  }

  /** Total account {@code a} sent to other banks, in TWD. */
  public double crossBankOutgoingSum(int a) {
    return figures[a * FIGURES + CROSS_OUT_SUM];
  }

  /** Epoch second of account {@code a}'s earliest transaction, or {@link #NO_TIME}. */
  public long firstSeen(int a) {
    return times[2 * a];
  }

  /** Epoch second of account {@code a}'s latest transaction, or {@link #NO_TIME}. */
  public long lastSeen(int a) {
    return times[2 * a + 1];
  }

  /** Distinct accounts, here or at other banks, that sent money to account {@code a}. */
  public int incomingCounterparties(int a) {
    return parties[2 * a];
  }

  /** Distinct accounts, here or at other banks, that account {@code a} sent money to. */
  public int outgoingCounterparties(int a) {
    return parties[2 * a + 1];
  }
}
