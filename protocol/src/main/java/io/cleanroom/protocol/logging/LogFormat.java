package io.cleanroom.protocol.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The log line formats of every cleanroom process, both carrying the {@link LogContext} of the
 * thread that logs:
 *
 * <ul>
 *   <li>{@link Kind#TEXT} (default): java.util.logging's {@link SimpleFormatter} line (its format
 *       from {@code java.util.logging.SimpleFormatter.format}, as the launcher sets it) whose
 *       message starts with the context, e.g. {@code 19:05:07.123 INFO
 *       io.cleanroom.node.study.CoordinatorLink: study=st-1f step=phase/train party=bank-a |
 *       train}; a line logged outside any study has no prefix.
 *   <li>{@link Kind#JSON}: one JSON object per line with the fields {@code time} (ISO-8601 UTC),
 *       {@code level} (java.util.logging's name: SEVERE, WARNING, INFO, FINE, ...), {@code logger},
 *       {@code study}, {@code step}, {@code party}, {@code thread}, {@code message} and {@code
 *       exception} (the stack trace); a field that is not known is null.
 * </ul>
 *
 * <p>The format is chosen by the system property {@value #PROPERTY} or else the environment
 * variable {@value #ENVIRONMENT} ({@code text} or {@code json}). The context is read when the line
 * is formatted, which java.util.logging's stream and console handlers do on the thread that logs.
 */
public final class LogFormat {

  /** The system property that selects the format. */
  public static final String PROPERTY = "cleanroom.log.format";

  /** The environment variable that selects the format when the property is not set. */
  public static final String ENVIRONMENT = "CLEANROOM_LOG_FORMAT";

  /** A log line format. */
  public enum Kind {
    TEXT,
    JSON
  }

  private LogFormat() {}

  /**
   * The format selected by {@value #PROPERTY} or {@value #ENVIRONMENT}; TEXT when neither is set.
   *
   * @throws IllegalArgumentException when the setting names no format
   */
  public static Kind selected() {
    String value = System.getProperty(PROPERTY);
    String from = PROPERTY;
    if (value == null || value.isBlank()) {
      value = System.getenv(ENVIRONMENT);
      from = ENVIRONMENT;
    }
    return parse(value, from);
  }

  static Kind parse(String value, String from) {
    if (value == null || value.isBlank()) {
      return Kind.TEXT;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> Kind.TEXT;
      case "json" -> Kind.JSON;
      default ->
          throw new IllegalArgumentException(
              from + "=" + value + " names no log format; use text or json");
    };
  }

  /**
   * Puts the selected format on every handler of the root logger (java.util.logging's console
   * handler unless configured otherwise). Safe to call more than once.
   *
   * @throws IllegalArgumentException when the setting names no format
   */
  public static void install() {
    install(selected());
  }

  /** Puts {@code kind}'s formatter on every handler of the root logger. */
  public static void install(Kind kind) {
    for (Handler h : Logger.getLogger("").getHandlers()) {
      if (!(h.getFormatter() instanceof ContextFormatter f) || f.kind() != kind) {
        h.setFormatter(formatter(kind));
      }
    }
  }

  /** A new formatter of {@code kind}. */
  public static Formatter formatter(Kind kind) {
    return kind == Kind.JSON ? new JsonFormatter() : new TextFormatter();
  }

  /** The context as text fields, e.g. {@code study=st-1 step=phase/train party=bank-a}. */
  public static String fields(LogContext.Context c) {
    StringBuilder b = new StringBuilder();
    field(b, "study", c.study());
    field(b, "step", c.step());
    field(b, "party", c.party());
    return b.toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    if (!value.isEmpty()) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(name).append('=').append(value);
    }
  }

  private interface ContextFormatter {
    Kind kind();
  }

  /** SimpleFormatter's line with the context before the message. */
  private static final class TextFormatter extends SimpleFormatter implements ContextFormatter {
    @Override
    public Kind kind() {
      return Kind.TEXT;
    }

    @Override
    public String formatMessage(LogRecord record) {
      String message = super.formatMessage(record);
      String fields = fields(LogContext.current());
      return fields.isEmpty() ? message : fields + " | " + message;
    }
  }

  /** One JSON object per line. */
  private static final class JsonFormatter extends Formatter implements ContextFormatter {
    @Override
    public Kind kind() {
      return Kind.JSON;
    }

    @Override
    public String format(LogRecord record) {
      LogContext.Context c = LogContext.current();
      StringBuilder b = new StringBuilder(256);
      b.append('{');
      member(b, "time", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
      member(b, "level", record.getLevel().getName()).append(',');
      member(b, "logger", record.getLoggerName()).append(',');
      member(b, "study", emptyAsNull(c.study())).append(',');
      member(b, "step", emptyAsNull(c.step())).append(',');
      member(b, "party", emptyAsNull(c.party())).append(',');
      member(b, "thread", Thread.currentThread().getName()).append(',');
      member(b, "message", formatMessage(record)).append(',');
      member(b, "exception", stackTrace(record.getThrown()));
      return b.append("}\n").toString();
    }

    private static String emptyAsNull(String s) {
      return s.isEmpty() ? null : s;
    }

    private static String stackTrace(Throwable t) {
      if (t == null) {
        return null;
      }
      StringWriter w = new StringWriter();
      t.printStackTrace(new PrintWriter(w));
      return w.toString();
    }

    private static StringBuilder member(StringBuilder b, String name, String value) {
      b.append('"').append(name).append("\":");
      if (value == null) {
        return b.append("null");
      }
      return quote(b, value);
    }
  }

  /** Appends {@code s} as a JSON string (RFC 8259): quotes, backslashes and controls escaped. */
  static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (ch < 0x20 || ch == 0x7f || ch == '\u2028' || ch == '\u2029') {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"');
  }
}
