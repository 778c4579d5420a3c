package io.cleanroom.node.data;

/**
 * Money moved between accounts of this bank and accounts at other banks, in one direction, summed
 * over all transfers per pair of accounts. For {@link BankData#incoming()} edge {@code e} carries
 * {@link #amount(int)} from {@link #foreignAccount(int)} at {@link #foreignBank(int)} to this
 * bank's {@link #account(int)}; for {@link BankData#outgoing()} it carries it the other way.
 *
 * <p>The foreign side is only a name: this bank cannot check that the other bank has such an
 * account. Edges are sorted by this bank's account, then by first appearance of the foreign account
 * in {@code transactions.csv}.
 *
 * <p>Immutable.
 */
public final class CrossBankFlows {
  private final boolean incoming;
  private final int[] account;
  private final int[] foreign;
  private final double[] amount;
  private final int[] transfers;
  private final KeyTable foreignAccounts;
  private final String[] banks;

  /**
   * @param foreign numbers in {@code foreignAccounts}, whose tags index {@code banks}
   */
  CrossBankFlows(
      boolean incoming,
      int[] account,
      int[] foreign,
      double[] amount,
      int[] transfers,
      KeyTable foreignAccounts,
      String[] banks) {
    this.incoming = incoming;
    this.account = account;
    this.foreign = foreign;
    this.amount = amount;
    this.transfers = transfers;
    this.foreignAccounts = foreignAccounts;
    this.banks = banks;
  }

  /** Whether money flows into this bank along these edges. */
  public boolean incoming() {
    return incoming;
  }

  /** The number of edges, i.e. of distinct (this bank's account, foreign account) pairs. */
  public int size() {
    return account.length;
  }

  /** This bank's account on edge {@code e}, as an index into {@link BankData}. */
  public int account(int e) {
    return account[e];
  }

  /** The other bank's id on edge {@code e}. */
  public String foreignBank(int e) {
    return banks[foreignAccounts.tag(foreign[e])];
  }

  /** The account id at the other bank on edge {@code e}, as written in transactions.csv. */
  public String foreignAccount(int e) {
    return foreignAccounts.key(foreign[e]);
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
