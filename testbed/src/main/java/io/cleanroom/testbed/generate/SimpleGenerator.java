package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A first, simple generator of synthetic datasets: one folder per bank ({@code bank-a}, {@code
 * bank-b}, ...) holding the files of {@link BankFile}, plus {@code truth.csv} ({@code
 * bank,account_id,is_mule}) for evaluation.
 *
 * <p>The data: bank sizes within about ±20% of even; about 10% of customers hold two accounts at
 * their bank and 5% of people are customers of two banks (same national id, email and phone number,
 * the phone sometimes written {@code +886 9xx xxx xxx}); about five transfers per account over the
 * 90 days from 2026-01-01 (UTC), about 30% between banks; about 2% of accounts in mule rings of 5
 * to 15 members across banks, a third of them flagged {@code alert}; a few legitimate accounts
 * flagged {@code grey}.
 *
 * <p>The same arguments always produce byte-identical files. Memory grows with the number of
 * accounts (a few ints each), not with the number of transactions, which are streamed.
 */
public final class SimpleGenerator {
  /** Fewest banks. */
  public static final int MIN_BANKS = 2;

  /** Most banks: ids run from {@code bank-a} to {@code bank-z}. */
  public static final int MAX_BANKS = 26;

  /** Fewest accounts per bank, so that every bank has customers, mules and victims. */
  public static final int MIN_ACCOUNTS_PER_BANK = 10;

  /** Most accounts, bounding memory and keeping ids and counts well inside their formats. */
  public static final int MAX_ACCOUNTS = 10_000_000;

  /** Length of the transaction window. */
  public static final int WINDOW_DAYS = 90;

  /** First day of the transaction window (UTC). */
  public static final LocalDate START = LocalDate.of(2026, 1, 1);

  private SimpleGenerator() {}

  /**
   * Writes a dataset.
   *
   * @param out the dataset folder: new, empty, or holding a previous generated dataset, which is
   *     replaced
   * @param banks number of banks, {@value #MIN_BANKS} to {@value #MAX_BANKS}
   * @param accountsTotal accounts over all banks, at least {@value #MIN_ACCOUNTS_PER_BANK} per bank
   *     and at most {@value #MAX_ACCOUNTS}
   * @param seed names the dataset
   * @throws IllegalArgumentException if an argument is out of range, or {@code out} holds anything
   *     but a generated dataset
   * @throws IOException if writing fails
   */
  public static DatasetSummary generate(Path out, int banks, int accountsTotal, long seed)
      throws IOException {
    Objects.requireNonNull(out, "out");
    if (banks < MIN_BANKS || banks > MAX_BANKS) {
      throw new IllegalArgumentException(
          "banks must be between " + MIN_BANKS + " and " + MAX_BANKS + ", got " + banks);
    }
    if (accountsTotal < MIN_ACCOUNTS_PER_BANK * banks) {
      throw new IllegalArgumentException(
          "accountsTotal must be at least "
              + MIN_ACCOUNTS_PER_BANK
              + " per bank ("
              + MIN_ACCOUNTS_PER_BANK * banks
              + " for "
              + banks
              + " banks), got "
              + accountsTotal);
    }
    if (accountsTotal > MAX_ACCOUNTS) {
      throw new IllegalArgumentException(
          "accountsTotal must be at most " + MAX_ACCOUNTS + ", got " + accountsTotal);
    }
    OutputFolder.prepare(out);

    SplittableRandom rng = new SplittableRandom(seed);
    BankLayout layout = BankLayout.plan(banks, accountsTotal, rng);
    MuleRings rings = MuleRings.plant(layout, WINDOW_DAYS, rng);
    People people = new People(seed);
    List<String> bankIds = new ArrayList<>();
    long customers = 0;
    for (int b = 0; b < banks; b++) {
      bankIds.add(BankLayout.bankId(b));
      Path dir = Files.createDirectories(out.resolve(BankLayout.bankId(b)));
      PartyFiles.write(dir, b, layout, rings, people, seed, rng);
      customers += layout.customers(b);
    }
    TransactionFiles.Counts txns =
        TransactionFiles.write(out, layout, rings.transfers(), WINDOW_DAYS, rng);
    writeAlerts(out, layout, rings);
    writeTruth(out, layout, rings);
    return new DatasetSummary(
        out,
        bankIds,
        accountsTotal,
        customers,
        layout.people(),
        txns.transactions(),
        txns.crossBank(),
        rings.mules(),
        rings.rings(),
        rings.flagged("alert"),
        rings.flagged("grey"));
  }

  private static void writeAlerts(Path out, BankLayout layout, MuleRings rings) throws IOException {
    List<Flag> flags = rings.flags();
    int next = 0;
    StringBuilder sb = new StringBuilder(64);
    long start = START.toEpochDay();
    for (int b = 0; b < layout.banks(); b++) {
      Path file = out.resolve(BankLayout.bankId(b)).resolve(BankFile.ALERTS.fileName());
      try (Writer w = CsvOut.open(file, BankFile.ALERTS.columns())) {
        // Flags are sorted by global account index, i.e. bank by bank.
        for (; next < flags.size() && layout.bankOf(flags.get(next).account()) == b; next++) {
          Flag f = flags.get(next);
          sb.setLength(0);
          CsvOut.id(sb, 'A', f.account() - layout.offset(b) + 1L, 6).append(',');
          sb.append(f.level()).append(',').append(CsvOut.date(start + f.day())).append('\n');
          w.write(sb.toString());
        }
      }
    }
  }

  private static void writeTruth(Path out, BankLayout layout, MuleRings rings) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    try (Writer w =
        CsvOut.open(out.resolve(OutputFolder.TRUTH), List.of("bank", "account_id", "is_mule"))) {
      for (int b = 0; b < layout.banks(); b++) {
        for (int i = 0; i < layout.size(b); i++) {
          sb.setLength(0);
          sb.append(BankLayout.bankId(b)).append(',');
          CsvOut.id(sb, 'A', i + 1L, 6).append(',');
          sb.append(rings.isMule(layout.offset(b) + i) ? '1' : '0').append('\n');
          w.write(sb.toString());
        }
      }
    }
  }
}
