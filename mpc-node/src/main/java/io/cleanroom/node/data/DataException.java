package io.cleanroom.node.data;

import java.util.List;
import java.util.Optional;

/**
 * A bank's data files do not have the expected shape. The message names the file, the line and the
 * field, e.g. {@code bank-a/alerts.csv line 7, field level: "red" is not alert or grey}, so that
 * the bank's operator can fix the file without a debugger.
 *
 * <p>When a loader collects several problems, the exception describes the first one and its message
 * ends in {@code (and N more errors)}; {@link #errors()} lists the ones that were kept.
 *
 * <p>Messages may end up in logs seen by other parties, so callers quote only values of
 * non-personal fields (levels, bank ids), never account, customer or national ids.
 */
public final class DataException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_QUOTED = 40;

  /** The unit of {@link #line()} for a CSV file. */
  static final String LINE = "line";

  /** The unit of {@link #line()} for a database table: the row's position in reading order. */
  static final String ROW = "row";

  private final String file;
  private final String unit;
  private final long line;
  private final String field;
  private final String problem;
  private final long moreErrors;
  private final List<String> errors;

  /**
   * @param file the file as shown to the operator, e.g. {@code bank-a/alerts.csv}, or the table,
   *     e.g. {@code bank-a/cleanroom.alerts}
   * @param line 1-based line number, or 0 when the problem concerns the whole file
   * @param field the column name, or {@code null} when the problem concerns a whole record
   * @param problem what is wrong, phrased to follow the location
   */
  public DataException(String file, long line, String field, String problem) {
    this(file, LINE, line, field, problem, 0, List.of());
  }

  /**
   * A problem located by {@code unit} instead of a line.
   *
   * @param unit {@link #LINE} or {@link #ROW}
   */
  DataException(String file, String unit, long line, String field, String problem) {
    this(file, unit, line, field, problem, 0, List.of());
  }

  /**
   * The first of several problems.
   *
   * @param moreErrors how many further problems were found, including ones not kept
   * @param errors the messages of the problems kept, this one first
   */
  DataException(
      String file,
      String unit,
      long line,
      String field,
      String problem,
      long moreErrors,
      List<String> errors) {
    super(format(file, unit, line, field, problem) + more(moreErrors));
    this.file = file;
    this.unit = unit;
    this.line = line;
    this.field = field;
    this.problem = problem;
    this.moreErrors = moreErrors;
    this.errors =
        errors.isEmpty() ? List.of(format(file, unit, line, field, problem)) : List.copyOf(errors);
  }

  /** The file as shown to the operator, e.g. {@code bank-a/alerts.csv}. */
  public String file() {
    return file;
  }

  /**
   * The 1-based line number, or 0 when the problem concerns the whole file; for a database table
   * the 1-based number of the row in reading order (see {@link JdbcSource}).
   */
  public long line() {
    return line;
  }

  /** What {@link #line()} counts: {@code line} for a CSV file, {@code row} for a table. */
  public String unit() {
    return unit;
  }

  /** The column name, when the problem concerns one field. */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /** How many further problems follow the one described, 0 for a single problem. */
  public long moreErrors() {
    return moreErrors;
  }

  /**
   * The messages of all problems kept, this one first and without the {@code (and N more errors)}
   * suffix; a loader keeps a bounded number, so the list may be shorter than {@code 1 +
   * moreErrors()}.
   */
  public List<String> errors() {
    return errors;
  }

  /** What is wrong, without the location. */
  String problem() {
    return problem;
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

  private static String more(long n) {
    return n == 0 ? "" : " (and " + n + (n == 1 ? " more error)" : " more errors)");
  }

  static String format(String file, String unit, long line, String field, String problem) {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(' ').append(unit).append(' ').append(line);
    }
    if (field != null) {
      sb.append(line > 0 ? ", " : " ").append("field ").append(field);
    }
    return sb.append(": ").append(problem).toString();
  }
}
