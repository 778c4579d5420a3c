package io.cleanroom.node.data;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where {@link BankLoader} reads a bank's tables from: the CSV files of a folder ({@link
 * CsvFolderTables}) or the tables of a database ({@link JdbcTables}). Closing ends the reading,
 * e.g. the database transaction.
 */
interface BankTables extends Closeable {
  /** How to name {@code table} in messages, e.g. {@code bank-a/alerts.csv}. */
  String label(BankFile table);

  /** What one table is called in messages: {@code file} or {@code table}. */
  String noun();

  /** Whether {@code table} exists; a required one that does not is reported before any reading. */
  boolean exists(BankFile table) throws IOException;

  /**
   * Opens {@code table} for one pass over its records.
   *
   * @param problems where problems of the table's shape (missing or repeated columns, unusable
   *     column types) and of its records are recorded
   * @return the reader positioned before the first record, or {@code null} if the table cannot be
   *     read, in which case the reasons are recorded in {@code problems}
   */
  RowReader open(BankFile table, Problems problems) throws IOException;
}
