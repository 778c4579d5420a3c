package io.cleanroom.node.data;

/**
 * Takes the records of one table (a CSV file or a database table) as {@link BankLoader} streams it.
 */
interface RowSink {
  /** Called once, after the header was read: look up the column positions. */
  void header(RowReader file);

  /**
   * Called for each record of the header's width; records its problems through {@link
   * DataFileReader#problem} and carries on.
   */
  void row(RowReader file);
}
