package io.cleanroom.testbed.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Writing the generator's CSV files. Generated values are drawn from fixed alphabets without
 * commas, quotes or line breaks, so no field needs RFC 4180 quoting; records end in LF.
 */
final class CsvOut {
  private static final int BUFFER_CHARS = 1 << 16;
  private static final int SECONDS_PER_DAY = 86_400;

  private CsvOut() {}

  /** Creates (or replaces) a UTF-8 file and writes its header row. */
  static Writer open(Path file, List<String> columns) throws IOException {
    Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
            BUFFER_CHARS);
    w.write(String.join(",", columns));
    w.write('\n');
    return w;
  }

  /** Appends {@code prefix} and {@code value} zero-padded to at least {@code width} digits. */
  static StringBuilder id(StringBuilder sb, char prefix, long value, int width) {
    sb.append(prefix);
    for (long limit = 10, digits = 1; digits < width; digits++, limit *= 10) {
      if (value < limit) {
        sb.append('0');
      }
    }
    return sb.append(value);
  }

  /** Appends an amount in cents as a decimal with exactly two fraction digits. */
  static StringBuilder amount(StringBuilder sb, long cents) {
    long frac = cents % 100;
    return sb.append(cents / 100).append('.').append(frac < 10 ? "0" : "").append(frac);
  }

  /** ISO-8601 date of an epoch day. */
  static String date(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).toString();
  }

  /** Appends an ISO-8601 UTC timestamp {@code second} seconds after midnight of {@code day0}. */
  static StringBuilder timestamp(StringBuilder sb, String[] dayStrings, int second) {
    int day = second / SECONDS_PER_DAY;
    int s = second % SECONDS_PER_DAY;
    sb.append(dayStrings[day]).append('T');
    two(sb, s / 3600).append(':');
    two(sb, s / 60 % 60).append(':');
    return two(sb, s % 60).append('Z');
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
