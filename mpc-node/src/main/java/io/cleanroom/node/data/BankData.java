package io.cleanroom.node.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One bank's data folder, validated and held in memory: accounts, customers, alert levels and the
 * transactions folded into flows and per-account activity. Nothing is loaded unless everything is
 * valid, so a node never computes on half a folder.
 *
 * <p>Accounts are indexed 0..{@link #accountCount()}−1 in the order of {@code accounts.csv}, and
 * customers likewise in the order of {@code customers.csv}; every other view uses these indexes.
 * Dates are epoch days ({@link java.time.LocalDate#ofEpochDay} converts) and times epoch seconds.
 * Data is held in primitive arrays and transactions only as sums, so a million accounts and ten
 * million transactions fit in a 2 GB heap.
 *
 * <p>What is checked, each problem named by file, line and field, is the data format's contract:
 *
 * <ul>
 *   <li>every required file exists and is UTF-8 RFC 4180 CSV with a header holding every required
 *       column (case-insensitive, any order, extra columns ignored) and records of the header's
 *       width;
 *   <li>required values are not empty; ids ({@code customer_id}, {@code account_id}, {@code
 *       txn_id}, and {@code account_id} in alerts.csv) are unique within their file;
 *   <li>dates are {@code YYYY-MM-DD}; timestamps are ISO-8601 with an offset, or without one and
 *       then in Taipei time (see {@link Dates}); amounts are positive plain decimals; gender is
 *       {@code F}, {@code M} or {@code X}; nationality an ISO 3166 alpha-2 code; level {@code
 *       alert} or {@code grey}; bank ids lower-case letters, digits and {@code -};
 *   <li>references resolve: an account's and a device's customer, an alert's account, and the
 *       account on each side of a transaction that names this bank;
 *   <li>every transaction names this bank on at least one side.
 * </ul>
 *
 * <p>Rows of devices.csv repeating a (customer, device) pair are accepted and kept once.
 *
 * <p>The {@link #digest()} is the SHA-256 of a manifest listing, in {@link BankFile} order, the hex
 * SHA-256 and name of each file read (an absent devices.csv is not listed), in the output format of
 * {@code sha256sum}: the operator can reproduce it with {@code sha256sum customers.csv accounts.csv
 * [devices.csv] transactions.csv alerts.csv | sha256sum} inside the folder. Tables read from a
 * database ({@link #load(JdbcSource, String)}) are listed under the same file names, each with the
 * SHA-256 of its rows rendered as a canonical CSV file; a folder holding exactly those files has
 * the same digest.
 *
 * <p>Immutable, and safe to share between threads once loaded.
 */
public final class BankData {
  /** {@link #flaggedOn(int)} of an account not listed in alerts.csv. */
  public static final int NO_DAY = Dates.BAD_DAY;

  private final String bankId;
  private final KeyTable accounts;
  private final int[] customerOf;
  private final int[] openedOn;
  private final byte[] alertLevel;
  private final int[] flaggedOn;
  private final int[] levelCounts = new int[AlertLevel.values().length];
  private final Customers customers;
  private final FlowAggregator.Result transactions;
  private final String digest;

  BankData(
      String bankId,
      KeyTable accounts,
      int[] customerOf,
      int[] openedOn,
      byte[] alertLevel,
      int[] flaggedOn,
      Customers customers,
      FlowAggregator.Result transactions,
      String digest) {
    this.bankId = bankId;
    this.accounts = accounts;
    this.customerOf = customerOf;
    this.openedOn = openedOn;
    this.alertLevel = alertLevel;
    this.flaggedOn = flaggedOn;
    this.customers = customers;
    this.transactions = transactions;
    this.digest = digest;
    for (byte level : alertLevel) {
      levelCounts[level]++;
    }
  }

  /**
   * Reads and validates one bank's folder, streaming each file once, and transactions.csv a second
   * time only if a txn id seems to repeat (see {@link TransactionRows}).
   *
   * @param bankDir the folder holding this bank's CSV files
   * @param bankId this bank's id, as written in {@code from_bank}/{@code to_bank}
   * @throws DataException if anything breaks the rules listed above: the message describes the
   *     first problem by file, line and field, and ends in {@code (and N more errors)} when there
   *     are more
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if {@code bankId} is not lower-case letters, digits and '-'
   */
  public static BankData load(Path bankDir, String bankId) throws IOException, DataException {
    Objects.requireNonNull(bankDir, "bankDir");
    Objects.requireNonNull(bankId, "bankId");
    if (!BankFolder.BANK_ID.matcher(bankId).matches()) {
      throw new IllegalArgumentException(
          "bank id must be lower-case letters, digits and '-': " + DataException.quote(bankId));
    }
    return BankLoader.load(bankDir, bankId);
  }

  /**
   * Reads and validates one bank's tables from a database, with the same checks and messages as
   * {@link #load(Path, String)}, located by table and row instead of file and line (e.g. {@code
   * bank-a/cleanroom.alerts row 7, field level: "red" is not alert or grey}).
   *
   * <p>Everything is read in one read-only {@code REPEATABLE READ} transaction, so the tables are a
   * consistent snapshot. Each table is read with {@code SELECT <columns> FROM "schema"."table"
   * ORDER BY <key>, <other columns>}: rows are numbered, indexed and digested in that order, which
   * does not depend on how the database stores them. Column types, rendering as text and the digest
   * of each table are described in {@link JdbcSource}; the accounts' order is that of their {@code
   * account_id} (by code point), not of insertion.
   *
   * @param source the database and tables to read
   * @param bankId this bank's id, as written in {@code from_bank}/{@code to_bank}
   * @throws DataException if anything breaks the rules listed above, including a missing table or
   *     column, a column of a type that cannot be read, or NULL in a required column
   * @throws IOException if the database cannot be reached or fails while reading
   * @throws IllegalArgumentException if {@code bankId} is not lower-case letters, digits and '-'
   */
  public static BankData load(JdbcSource source, String bankId) throws IOException, DataException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(bankId, "bankId");
    if (!BankFolder.BANK_ID.matcher(bankId).matches()) {
      throw new IllegalArgumentException(
          "bank id must be lower-case letters, digits and '-': " + DataException.quote(bankId));
    }
    return BankLoader.load(source, bankId);
  }

  /** This bank's id. */
  public String bankId() {
    return bankId;
  }

  /** The number of accounts. */
  public int accountCount() {
    return customerOf.length;
  }

  /** The {@code account_id} of account {@code a}. */
  public String accountId(int a) {
    return accounts.key(a);
  }

  /** The index of the account with exactly this {@code account_id}, or -1. */
  public int indexOf(String accountId) {
    return accounts.find(0, accountId);
  }

  /** The day account {@code a} was opened, as an epoch day. */
  public int openedOn(int a) {
    return openedOn[a];
  }

  /** The index in {@link #customers()} of the customer owning account {@code a}. */
  public int customerOf(int a) {
    return customerOf[a];
  }

  /** How account {@code a} is flagged in alerts.csv. */
  public AlertLevel alertLevel(int a) {
    return AlertLevel.of(alertLevel[a]);
  }

  /** The day account {@code a} was flagged, as an epoch day, or {@link #NO_DAY} if it was not. */
  public int flaggedOn(int a) {
    return flaggedOn[a];
  }

  /** How many accounts are at {@code level}. */
  public int accountsAt(AlertLevel level) {
    return levelCounts[level.ordinal()];
  }

  /** The bank's customers. */
  public Customers customers() {
    return customers;
  }

  /** Flows between two accounts of this bank. */
  public Flows flows() {
    return transactions.flows();
  }

  /** Flows from accounts at other banks into this bank's accounts. */
  public CrossBankFlows incoming() {
    return transactions.incoming();
  }

  /** Flows from this bank's accounts to accounts at other banks. */
  public CrossBankFlows outgoing() {
    return transactions.outgoing();
  }

  /** Per-account transaction totals. */
  public Activity activity() {
    return transactions.activity();
  }

  /** The number of rows in transactions.csv. */
  public long transactionCount() {
    return transactions.tally().rows();
  }

  /**
   * The transfers this bank counts when the banks of a study together count every transfer in their
   * files once: those this bank sent, plus those it received from a bank outside the study, which
   * no one else will count.
   *
   * @param participants the banks taking part in the study, this one included
   */
  public long transactionsSent(Set<String> participants) {
    return transactions.tally().countedBy(participants);
  }

  /** Lower-case hex SHA-256 identifying the exact bytes read, as described above. */
  public String digest() {
    return digest;
  }
}
