package io.cleanroom.testbed.generate;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The transaction window's calendar: {@link Generator#WINDOW_DAYS} UTC days from {@link
 * Generator#START}, when standing orders fall due, and at what time of day people pay.
 *
 * <p>Timestamps are written in UTC, but people live in Taipei (UTC+8): hour-of-day profiles are in
 * Taipei time and shifted to UTC within the same UTC day, so that a salary batch at 09:00 in Taipei
 * is written {@code 01:00Z} and shopping peaks in the Taipei evening.
 */
final class Window {
  static final int DAYS = Generator.WINDOW_DAYS;
  static final int DAY = 86_400;
  static final int HOUR = 3_600;
  static final int END = DAYS * DAY;

  /** Latest day of the month a standing order may fall on, so it falls due in every month. */
  static final int LAST_ORDER_DAY = 28;

  private static final int TAIPEI_UTC_OFFSET = 8 * HOUR;

  /** Shop and online payments by Taipei hour: lunch and evening peaks, quiet nights. */
  static final int[] SHOPPING = {
    2, 1, 0, 0, 0, 0, 1, 3, 4, 4, 5, 8, 9, 6, 5, 5, 5, 7, 9, 10, 9, 7, 4, 3
  };

  /** Transfers between people by Taipei hour: spread over the day, most in the evening. */
  static final int[] PERSONAL = {
    2, 1, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 6, 4, 4, 4, 4, 5, 6, 8, 9, 9, 7, 4
  };

  /**
   * Scam victims' payments by Taipei hour: office hours and early evening, when victims are on the
   * phone with the scammer and banks are open.
   */
  static final int[] VICTIM = {
    0, 0, 0, 0, 0, 0, 0, 1, 3, 6, 8, 8, 6, 7, 8, 8, 7, 6, 5, 5, 4, 3, 2, 1
  };

  private static final int[][] DUE = dueDays();
  private static final String[] DATES = dates();

  private Window() {}

  /** ISO dates of the window's days. */
  static String[] dates() {
    String[] dates = new String[DAYS];
    for (int d = 0; d < DAYS; d++) {
      dates[d] = Generator.START.plusDays(d).toString();
    }
    return dates;
  }

  /** ISO date of window day {@code day}, which may lie before the window (negative). */
  static String date(int day) {
    return day >= 0 && day < DAYS ? DATES[day] : Generator.START.plusDays(day).toString();
  }

  /**
   * The days of the month (1 to {@value #LAST_ORDER_DAY}) whose standing orders are executed on
   * window day {@code day}: orders due on a weekend run on the following Monday.
   */
  static int[] due(int day) {
    return DUE[day];
  }

  static boolean weekend(int day) {
    DayOfWeek w = Generator.START.plusDays(day).getDayOfWeek();
    return w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY;
  }

  /** A UTC second of the day drawn from a profile of Taipei hours. */
  static int secondOfDay(int[] taipeiHours, int total, SplittableRandom rng) {
    int hour = Draw.weighted(rng, taipeiHours, total);
    return utc(hour * HOUR + rng.nextInt(HOUR));
  }

  /** The UTC second of the day at which it is {@code taipeiSecond} in Taipei. */
  static int utc(int taipeiSecond) {
    return Math.floorMod(taipeiSecond - TAIPEI_UTC_OFFSET, DAY);
  }

  static int total(int[] weights) {
    int sum = 0;
    for (int w : weights) {
      sum += w;
    }
    return sum;
  }

  private static int[][] dueDays() {
    List<List<Integer>> due = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      due.add(new ArrayList<>());
    }
    for (int d = 0; d < DAYS; d++) {
      LocalDate date = Generator.START.plusDays(d);
      if (date.getDayOfMonth() > LAST_ORDER_DAY) {
        continue;
      }
      int run = d;
      while (run < DAYS && weekend(run)) {
        run++;
      }
      if (run < DAYS) {
        due.get(run).add(date.getDayOfMonth());
      }
    }
    int[][] out = new int[DAYS][];
    for (int d = 0; d < DAYS; d++) {
      out[d] = due.get(d).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }
}
