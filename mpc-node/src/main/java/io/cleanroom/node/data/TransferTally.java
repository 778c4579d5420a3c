package io.cleanroom.node.data;

import java.util.Set;

/**
 * How many transaction rows a bank's file holds, by sender: what {@link
 * BankData#transactionsSent(Set)} needs, kept instead of the txn ids themselves.
 *
 * @param rows rows in transactions.csv
 * @param sent rows whose {@code from_bank} is this bank
 * @param banks bank ids by tag; tag 0 is this bank
 * @param receivedFrom rows received from each bank, by tag; entry 0 is unused
 */
record TransferTally(long rows, long sent, String[] banks, long[] receivedFrom) {

  /** Rows sent by this bank plus rows received from banks outside {@code participants}. */
  long countedBy(Set<String> participants) {
    long n = sent;
    for (int t = 1; t < banks.length; t++) {
      if (!participants.contains(banks[t])) {
        n += receivedFrom[t];
      }
    }
    return n;
  }
}
