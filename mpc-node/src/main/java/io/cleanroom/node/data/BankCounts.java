package io.cleanroom.node.data;

import java.util.regex.Pattern;

/**
 * What {@link BankFolder} counts in one bank's folder.
 *
 * @param accounts rows in {@code accounts.csv}
 * @param transactionsSent txn ids (unique within a file) this bank is responsible for counting:
 *     those it sent, plus those it received from a bank that does not participate; summed over the
 *     participating banks this counts every transfer among their files exactly once
 * @param alertAccounts distinct account ids with level {@code alert}
 * @param greyAccounts distinct account ids with level {@code grey}
 * @param customers rows in {@code customers.csv}
 * @param digest lower-case hex SHA-256 identifying the exact bytes read; see {@link BankFolder}
 */
public record BankCounts(
    long accounts,
    long transactionsSent,
    long alertAccounts,
    long greyAccounts,
    long customers,
    String digest) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  /** Rejects negative counts and anything but a lower-case hex SHA-256 digest. */
  public BankCounts {
    if (accounts < 0
        || transactionsSent < 0
        || alertAccounts < 0
        || greyAccounts < 0
        || customers < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    if (digest == null || !SHA256_HEX.matcher(digest).matches()) {
      throw new IllegalArgumentException("digest must be 64 lower-case hex digits");
    }
  }
}
