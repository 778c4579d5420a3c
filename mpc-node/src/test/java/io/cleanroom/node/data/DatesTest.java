package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatesTest {
  private final Dates dates = new Dates();

  @Test
  void datesAreStrictlyIsoLocalDates() {
    assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), Dates.epochDay("2024-02-29"));
    assertEquals(0, Dates.epochDay("1970-01-01"));
    for (String bad :
        new String[] {"2023-02-29", "2024-13-01", "2024-1-01", "2024/01/01", "20240101", "", "x"}) {
      assertEquals(Dates.BAD_DAY, Dates.epochDay(bad), bad);
    }
  }

  @Test
  void timestampsWithZoneOffsetOrTaipeiLocalTime() {
    long utc = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    assertEquals(utc, dates.epochSecond("2026-01-01T00:00:00Z"));
    assertEquals(utc, dates.epochSecond("2026-01-01T08:00:00+08:00"));
    assertEquals(utc, dates.epochSecond("2025-12-31T19:00:00-05:00"));
    assertEquals(utc, dates.epochSecond("2026-01-01T08:00:00"));
    assertEquals(utc, dates.epochSecond("2026-01-01T00:00:00.999Z"));
    assertEquals(utc, dates.epochSecond("2026-01-01T00:00:00.123456789Z"));
    // Shapes left to java.time.
    assertEquals(utc, dates.epochSecond("2026-01-01T08:00+08:00"));
    assertEquals(utc, dates.epochSecond("2026-01-01T08:00"));
    // Before 1970, fractions still round towards the past.
    assertEquals(-1, dates.epochSecond("1969-12-31T23:59:59.5Z"));
  }

  @Test
  void badTimestamps() {
    for (String bad :
        new String[] {
          "2026-01-01",
          "2026-01-01 00:00:00",
          "2026-01-01T24:00:00Z",
          "2026-01-01T00:60:00Z",
          "2026-02-30T00:00:00Z",
          "2026-01-01T00:00:00+19:00",
          "2026-01-01T00:00:00+08:60",
          "2026-01-01T00:00:00.1234567890Z",
          "",
        }) {
      assertEquals(Dates.BAD_TIME, dates.epochSecond(bad), bad);
    }
  }

  @Test
  void fastPathAgreesWithJavaTime() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      long second = rng.nextLong(-2_000_000_000L, 4_000_000_000L);
      int offsetMinutes = 15 * rng.nextInt(-18 * 4, 18 * 4 + 1);
      OffsetDateTime t =
          OffsetDateTime.ofInstant(
              Instant.ofEpochSecond(second), ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
      String text = t.toLocalDateTime().withNano(0) + formatOffset(offsetMinutes);
      if (t.getSecond() == 0) {
        // LocalDateTime.toString drops zero seconds; write them out to take the fast path.
        text = t.toLocalDateTime().withNano(0) + ":00" + formatOffset(offsetMinutes);
      }
      assertEquals(second, dates.epochSecond(text), text);
      LocalDateTime local = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
      String plain = local.toLocalDate() + "T" + local.toLocalTime().withNano(0);
      if (local.getSecond() == 0) {
        plain += ":00";
      }
      assertEquals(local.atZone(Dates.TAIPEI).toEpochSecond(), dates.epochSecond(plain), plain);
    }
  }

  private static String formatOffset(int minutes) {
    if (minutes == 0) {
      return "Z";
    }
    int abs = Math.abs(minutes);
    return String.format("%s%02d:%02d", minutes < 0 ? "-" : "+", abs / 60, abs % 60);
  }
}
