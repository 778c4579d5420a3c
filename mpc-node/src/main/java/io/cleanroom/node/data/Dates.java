package io.cleanroom.node.data;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Parses the dates and timestamps of the data format into epoch days and epoch seconds.
 *
 * <p>Dates are exactly {@code YYYY-MM-DD}. Timestamps are ISO-8601 date-times with an offset
 * ({@code 2026-01-01T08:00:00Z}, {@code 2026-01-01T08:00:00+08:00}) or without one ({@code
 * 2026-01-01T08:00:00}), which is then taken as Taipei local time because the banks are Taiwanese.
 * Fractions of a second are accepted and dropped (rounding towards the past).
 *
 * <p>The common shapes are parsed by hand: {@code java.time}'s formatters cost about a microsecond
 * per call, which adds up over ten million transactions. Other shapes {@code java.time} accepts
 * (such as {@code 08:00} without seconds) still go through it. A parser remembers the last date it
 * saw, as timestamps usually come in runs of the same day; it is therefore not thread-safe.
 */
final class Dates {
  /** Returned for a value that does not parse. */
  static final int BAD_DAY = Integer.MIN_VALUE;

  /** Returned for a value that does not parse. */
  static final long BAD_TIME = Long.MIN_VALUE;

  /** The zone of timestamps written without an offset. */
  static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");

  private static final int DATE_LENGTH = 10;
  private static final int TIME_END = 19;
  private static final int SECONDS_PER_DAY = 86_400;
  private static final int MAX_OFFSET_HOURS = 18;

  private String lastDate;
  private int lastDay;

  /** The epoch day of a {@code YYYY-MM-DD} date, or {@link #BAD_DAY}. */
  static int epochDay(String text) {
    if (text.length() != DATE_LENGTH || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return BAD_DAY;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    if (year < 0 || month < 0 || day < 0) {
      return BAD_DAY;
    }
    try {
      return Math.toIntExact(LocalDate.of(year, month, day).toEpochDay());
    } catch (DateTimeException e) {
      return BAD_DAY;
    }
  }

  /** The epoch second of an ISO-8601 date-time as described above, or {@link #BAD_TIME}. */
  long epochSecond(String text) {
    long fast = fastEpochSecond(text);
    return fast != BAD_TIME ? fast : slowEpochSecond(text);
  }

  private long fastEpochSecond(String text) {
    if (text.length() < TIME_END
        || text.charAt(DATE_LENGTH) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return BAD_TIME;
    }
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return BAD_TIME;
    }
    int end = TIME_END;
    if (end < text.length() && text.charAt(end) == '.') {
      int fraction = ++end;
      while (end < text.length() && isDigit(text.charAt(end))) {
        end++;
      }
      if (end == fraction || end - fraction > 9) {
        return BAD_TIME;
      }
    }
    int day = day(text);
    if (day == BAD_DAY) {
      return BAD_TIME;
    }
    long local = (long) day * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
    if (end == text.length()) {
      return LocalDateTime.of(LocalDate.ofEpochDay(day), LocalTime.of(hour, minute, second))
          .atZone(TAIPEI)
          .toEpochSecond();
    }
    if (end + 1 == text.length() && text.charAt(end) == 'Z') {
      return local;
    }
    if (end + 6 == text.length() && text.charAt(end + 3) == ':') {
      char sign = text.charAt(end);
      int oh = digits(text, end + 1, 2);
      int om = digits(text, end + 4, 2);
      if ((sign == '+' || sign == '-') && oh >= 0 && om >= 0 && om <= 59) {
        int offset = oh * 3600 + om * 60;
        if (offset <= MAX_OFFSET_HOURS * 3600) {
          return sign == '+' ? local - offset : local + offset;
        }
      }
    }
    return BAD_TIME;
  }

  private int day(String text) {
    if (lastDate != null && text.regionMatches(0, lastDate, 0, DATE_LENGTH)) {
      return lastDay;
    }
    int day = epochDay(text.substring(0, DATE_LENGTH));
    if (day != BAD_DAY) {
      lastDate = text.substring(0, DATE_LENGTH);
      lastDay = day;
    }
    return day;
  }

  private static long slowEpochSecond(String text) {
    try {
      return OffsetDateTime.parse(text).toEpochSecond();
    } catch (DateTimeParseException e) {
      // Not with an offset; try as local time.
    }
    try {
      return LocalDateTime.parse(text).atZone(TAIPEI).toEpochSecond();
    } catch (DateTimeParseException e) {
      return BAD_TIME;
    }
  }

  /** The non-negative number written by {@code n} ASCII digits at {@code from}, or -1. */
  private static int digits(String text, int from, int n) {
    int value = 0;
    for (int i = from; i < from + n; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
