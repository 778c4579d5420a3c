package io.cleanroom.testbed.generate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A CSV row being assembled as ASCII bytes, reused row after row so that writing millions of rows
 * allocates nothing per row. Fields are separated by {@link #comma()} and the row ended by {@link
 * #end()}.
 */
final class CsvLine {
  private static final int SECONDS_PER_DAY = 86_400;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private byte[] bytes = new byte[256];
  private int length;

  /** Empties the row. */
  CsvLine reset() {
    length = 0;
    return this;
  }

  /** Appends ASCII text as it is. */
  CsvLine text(String s) {
    int n = s.length();
    room(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > 0x7f) {
        throw new IllegalArgumentException("generated text must be ASCII: " + s);
      }
      bytes[length++] = (byte) c;
    }
    return this;
  }

  /** Appends one ASCII character. */
  CsvLine ch(char c) {
    room(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /** Appends the field separator. */
  CsvLine comma() {
    return ch(',');
  }

  /** Ends the row with LF. */
  CsvLine end() {
    return ch('\n');
  }

  /** Appends a non-negative number in decimal. */
  CsvLine number(long v) {
    return digits(v, 1);
  }

  /** Appends all 64 bits of {@code v} as 16 lower-case hex digits. */
  CsvLine hex(long v) {
    room(16);
    for (int shift = 60; shift >= 0; shift -= 4) {
      bytes[length++] = (byte) HEX[(int) (v >>> shift) & 0xf];
    }
    return this;
  }

  /** Appends {@code prefix} and {@code value} zero-padded to at least {@code width} digits. */
  CsvLine id(char prefix, long value, int width) {
    return ch(prefix).digits(value, width);
  }

  /** Appends an amount in cents as a decimal with exactly two fraction digits. */
  CsvLine amount(long cents) {
    digits(cents / 100, 1).ch('.');
    return digits(cents % 100, 2);
  }

  /**
   * Appends an ISO-8601 UTC timestamp {@code second} seconds after the start of day 0, given the
   * ISO dates of the days.
   */
  CsvLine timestamp(String[] days, int second) {
    int s = second % SECONDS_PER_DAY;
    text(days[second / SECONDS_PER_DAY]).ch('T');
    digits(s / 3600, 2).ch(':');
    digits(s / 60 % 60, 2).ch(':');
    return digits(s % 60, 2).ch('Z');
  }

  int length() {
    return length;
  }

  void copyTo(byte[] target, int at) {
    System.arraycopy(bytes, 0, target, at, length);
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.US_ASCII);
  }

  private CsvLine digits(long v, int width) {
    if (v < 0) {
      throw new IllegalArgumentException("negative value " + v);
    }
    int n = 1;
    for (long p = 10; n < 19 && v >= p; p *= 10) {
      n++;
    }
    int w = Math.max(n, width);
    room(w);
    for (int i = length + w - 1; i >= length; i--) {
      bytes[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    length += w;
    return this;
  }

  private void room(int n) {
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }
  }
}
