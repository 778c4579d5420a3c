package io.cleanroom.node.data;

import java.util.Optional;

/**
 * A bank's data files do not have the expected shape. The message names the file, the line and the
 * field, e.g. {@code bank-a/alerts.csv line 7, field level: "red" is not alert or grey}, so that
 * the bank's operator can fix the file without a debugger.
 *
 * <p>Messages may end up in logs seen by other parties, so callers quote only values of
 * non-personal fields (levels, bank ids), never account, customer or national ids.
 */
public final class DataException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_QUOTED = 40;

  private final String file;
  private final long line;
  private final String field;

  /**
   * @param file the file as shown to the operator, e.g. {@code bank-a/alerts.csv}
   * @param line 1-based line number, or 0 when the problem concerns the whole file
   * @param field the column name, or {@code null} when the problem concerns a whole record
   * @param problem what is wrong, phrased to follow the location
   */
  public DataException(String file, long line, String field, String problem) {
    super(format(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
  }

  /** The file as shown to the operator, e.g. {@code bank-a/alerts.csv}. */
  public String file() {
    return file;
  }

  /** The 1-based line number, or 0 when the problem concerns the whole file. */
  public long line() {
    return line;
  }

  /** The column name, when the problem concerns one field. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /**
   * Quotes a value for a message: a malformed file could otherwise put arbitrarily long text or
   * control characters into a log line.
   */
  static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    int end = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (value.length() > MAX_QUOTED) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }

  private static String format(String file, long line, String field, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(" line ").append(line);
    }
    if (field != null) {
      sb.append(line > 0 ? ", " : " ").append("field ").append(field);
    }
    return sb.append(": ").append(problem).toString();
  }
}
