package io.cleanroom.testbed.generate;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Generator} wrote.
 *
 * @param root the dataset folder
 * @param bankIds the bank folders, in order
 * @param accounts accounts over all banks
 * @param customers customer rows over all banks (a person at two banks is two customers)
 * @param people distinct people behind the customers
 * @param transactions distinct transfers (txn ids)
 * @param crossBankTransactions transfers between two different banks, written to both
 * @param mules accounts with {@code is_mule = 1} in truth.csv
 * @param rings mule networks planted
 * @param alertAccounts accounts flagged {@code alert}
 * @param greyAccounts accounts flagged {@code grey}
 */
public record DatasetSummary(
    Path root,
    List<String> bankIds,
    long accounts,
    long customers,
    long people,
    long transactions,
    long crossBankTransactions,
    long mules,
    int rings,
    long alertAccounts,
    long greyAccounts) {

  /** Copies {@code bankIds} so the summary stays immutable. */
  public DatasetSummary {
    bankIds = List.copyOf(bankIds);
  }
}
