package io.cleanroom.testbed.generate;

/**
 * One row of a bank's alerts.csv.
 *
 * @param account global index of the flagged account
 * @param level {@code alert} or {@code grey}
 * @param day days since the start of the transaction window
 */
record Flag(int account, String level, int day) {}
