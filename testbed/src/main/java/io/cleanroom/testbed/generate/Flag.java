package io.cleanroom.testbed.generate;

/**
 * One row of a bank's alerts.csv.
 *
 * @param account global index of the flagged account
 * @param level {@link #ALERT} or {@link #GREY}
 * @param day days since the start of the transaction window
 */
record Flag(int account, String level, int day) {
  /** An alert account (警示帳戶). */
  static final String ALERT = "alert";

  /** A grey-listed account (灰名單). */
  static final String GREY = "grey";
}
