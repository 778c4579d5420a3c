package io.cleanroom.node.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming reader for RFC 4180 CSV: comma-separated fields, fields optionally enclosed in double
 * quotes, a doubled quote inside a quoted field standing for one quote, records ending in CRLF, LF
 * or CR. It holds one record at a time, so files of any size can be read.
 *
 * <p>Deliberate choices beyond the RFC: a leading UTF-8 byte order mark is dropped (spreadsheet
 * exports add one); empty lines are skipped; a line break inside a quoted field is returned as
 * {@code \n} whatever its original form. Malformed quoting is an error rather than guessed at,
 * because a guess would silently shift values into the wrong columns.
 *
 * <p>Not thread-safe.
 */
public final class CsvReader implements Closeable {
  private final BufferedReader in;
  private final String source;
  private final StringBuilder quoted = new StringBuilder();
  private long linesRead;
  private long recordLine;

  /**
   * @param in the text to read; closed by {@link #close()}
   * @param source how to name the input in error messages, e.g. {@code bank-a/accounts.csv}
   */
  public CsvReader(BufferedReader in, String source) {
    this.in = in;
    this.source = source;
  }

  /**
   * Reads the next record.
   *
   * @return the record's fields, unmodified (not trimmed), or {@code null} at end of input
   * @throws DataException if the record's quoting is malformed
   */
  public List<String> next() throws IOException, DataException {
    String text;
    do {
      text = readLine();
      if (text == null) {
        return null;
      }
    } while (text.isEmpty());
    recordLine = linesRead;
    return text.indexOf('"') < 0 ? split(text) : parseQuoted(text);
  }

  /** The 1-based line on which the record last returned by {@link #next()} starts. */
  public long line() {
    return recordLine;
  }

  /** Physical lines consumed so far, counting lines inside multi-line quoted fields. */
  public long linesRead() {
    return linesRead;
  }

  /** The name used for the input in error messages. */
  public String source() {
    return source;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private String readLine() throws IOException {
    String s = in.readLine();
    if (s != null) {
      linesRead++;
      if (linesRead == 1 && s.startsWith("\uFEFF")) {
        s = s.substring(1);
      }
    }
    return s;
  }

  // Fast path: most lines of a large transactions file contain no quotes at all.
  private static List<String> split(String text) {
    List<String> fields = new ArrayList<>();
    int start = 0;
    for (int comma; (comma = text.indexOf(',', start)) >= 0; start = comma + 1) {
      fields.add(text.substring(start, comma));
    }
    fields.add(text.substring(start));
    return fields;
  }

  private List<String> parseQuoted(String first) throws IOException, DataException {
    List<String> fields = new ArrayList<>();
    String text = first;
    int i = 0;
    while (true) {
      if (i < text.length() && text.charAt(i) == '"') {
        quoted.setLength(0);
        i++;
        while (true) {
          if (i == text.length()) {
            text = readLine();
            if (text == null) {
              throw error("quoted field " + (fields.size() + 1) + " is never closed");
            }
            quoted.append('\n');
            i = 0;
            continue;
          }
          char c = text.charAt(i++);
          if (c != '"') {
            quoted.append(c);
          } else if (i < text.length() && text.charAt(i) == '"') {
            quoted.append('"');
            i++;
          } else {
            break;
          }
        }
        fields.add(quoted.toString());
        if (i == text.length()) {
          return fields;
        }
        if (text.charAt(i) != ',') {
          throw error("text after the closing quote of field " + fields.size());
        }
        i++;
      } else {
        int comma = text.indexOf(',', i);
        int end = comma < 0 ? text.length() : comma;
        int quote = text.indexOf('"', i);
        if (quote >= 0 && quote < end) {
          throw error("quote inside unquoted field " + (fields.size() + 1));
        }
        fields.add(text.substring(i, end));
        if (comma < 0) {
          return fields;
        }
        i = comma + 1;
      }
    }
  }

  private DataException error(String problem) {
    return new DataException(source, recordLine, null, problem);
  }
}
