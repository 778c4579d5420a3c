package io.cleanroom.node.data;

import java.io.Closeable;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table of a bank, read record by record: a CSV file ({@link DataFileReader}) or a database
 * table ({@link JdbcTableReader}). Values are looked up by column position and checked the same way
 * whatever the source, so a {@link RowSink} sees no difference and reports problems in the same
 * words, located by the source's own {@link #unit()}: a line of a file, a row of a table.
 */
abstract class RowReader implements Closeable {
  private final String label;
  private final String unit;
  private final Problems problems;
  private final Map<String, Integer> positions = new HashMap<>();
  private final Set<String> known = new HashSet<>();
  private final MessageDigest digest = sha256();
  private boolean finished;

  /**
   * @param label how to name the table in messages, e.g. {@code bank-a/alerts.csv}
   * @param unit what {@link #line()} counts, {@code line} or {@code row}
   */
  RowReader(String label, String unit, Problems problems) {
    this.label = label;
    this.unit = unit;
    this.problems = problems;
  }

  /**
   * Advances to the next record, recording and skipping records that cannot be read.
   *
   * @return {@code false} at the end of the table
   * @throws DataException if nothing after the current position can be trusted
   */
  abstract boolean next() throws IOException, DataException;

  /** Whether {@link #next()} skipped a record. */
  abstract boolean skippedRecords();

  /**
   * Hex SHA-256 identifying what was read, fed through {@link #digest()}; only once every record
   * has been read.
   */
  final String sha256Hex() {
    if (!finished) {
      throw new IllegalStateException(label + " has not been read to the end");
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The digest {@link #sha256Hex()} reports, which the source feeds with what it reads. */
  final MessageDigest digest() {
    return digest;
  }

  /** Records that every record has been read. */
  final void finish() {
    finished = true;
  }

  /** Whether every record has been read. */
  final boolean finished() {
    return finished;
  }

  /** The 1-based {@link #unit()} at which the current record is, 0 before the first. */
  abstract long line();

  /** The current record's raw value at a column position, never {@code null}. */
  abstract String raw(int column);

  /** How this source names another of the bank's tables in messages, e.g. {@code accounts.csv}. */
  abstract String nameOf(BankFile table);

  /** Whether the current record's value at a column position is SQL NULL; never for CSV. */
  boolean isNull(int column) {
    return false;
  }

  /** What {@link #line()} counts in messages: {@code line} for a file, {@code row} for a table. */
  final String unit() {
    return unit;
  }

  /** How to name the table in messages. */
  final String label() {
    return label;
  }

  /** Declares the columns a sink may ask for; absent optional ones read as empty. */
  final void declare(List<String> required, List<String> optional) {
    known.addAll(required);
    known.addAll(optional);
  }

  /** Whether {@code name} was declared. */
  final boolean declared(String name) {
    return known.contains(name);
  }

  /**
   * Records that column {@code name} is at {@code position}.
   *
   * @return {@code false} if it was already placed
   */
  final boolean place(String name, int position) {
    return positions.putIfAbsent(name, position) == null;
  }

  /** Whether column {@code name} was placed. */
  final boolean placed(String name) {
    return positions.containsKey(name);
  }

  /** The position of a declared column, or -1 for an optional column absent from the table. */
  final int column(String name) {
    if (!known.contains(name)) {
      throw new IllegalArgumentException("column was not declared when opening: " + name);
    }
    return positions.getOrDefault(name, -1);
  }

  /** The current record's value at a {@link #column} position, trimmed; empty for -1. */
  final String get(int column) {
    return column < 0 ? "" : raw(column).trim();
  }

  /**
   * The current record's value at a column position, or {@code null} after recording that it is
   * empty (or NULL).
   *
   * @param name the column's name, for the message
   */
  final String required(int column, String name) {
    String value = get(column);
    if (value.isEmpty()) {
      problem(name, column >= 0 && isNull(column) ? "value is NULL" : "value is empty");
      return null;
    }
    return value;
  }

  /**
   * The current record's {@code YYYY-MM-DD} date at a column position as an epoch day, or {@link
   * Dates#BAD_DAY} after recording what is wrong with it.
   *
   * @param personal whether the value is personal data, which messages must not quote
   */
  final int date(int column, String name, boolean personal) {
    String value = required(column, name);
    if (value == null) {
      return Dates.BAD_DAY;
    }
    int day = Dates.epochDay(value);
    if (day == Dates.BAD_DAY) {
      problem(
          name, (personal ? "value" : DataException.quote(value)) + " is not a date (YYYY-MM-DD)");
    }
    return day;
  }

  /** Records a problem located at the current record and the given column (or none). */
  final void problem(String column, String text) {
    problems.add(label, unit, line(), column, text);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }
}
