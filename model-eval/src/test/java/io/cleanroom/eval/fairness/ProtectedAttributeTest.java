package io.cleanroom.eval.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.eval.rows.Demographics;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedAttributeTest {

  private static final LocalDate REF = LocalDate.of(2024, 6, 30);

  private static String ageBand(LocalDate birth) {
    ProtectedAttribute a = ProtectedAttribute.ageBand(REF);
    return a.groups().get(a.group(new Demographics("F", birth, "TW", null)));
  }

  @Test
  void ageBand_boundariesAreBirthdays() {
    assertEquals("<25", ageBand(LocalDate.of(1999, 7, 1)));
    assertEquals("25-44", ageBand(LocalDate.of(1999, 6, 30)));
    assertEquals("25-44", ageBand(LocalDate.of(1979, 7, 1)));
    assertEquals("45-64", ageBand(LocalDate.of(1979, 6, 30)));
    assertEquals("45-64", ageBand(LocalDate.of(1959, 7, 1)));
    assertEquals(">=65", ageBand(LocalDate.of(1959, 6, 30)));
  }

  @Test
  void birthAfterReference_fails() {
    var e = assertThrows(IllegalArgumentException.class, () -> ageBand(LocalDate.of(2025, 1, 1)));
    assertEquals("birth date 2025-01-01 is after the reference date 2024-06-30", e.getMessage());
  }

  @Test
  void nationality_isHomeOrOther() {
    ProtectedAttribute a = ProtectedAttribute.nationality("TW");
    assertEquals(List.of("TW", "other"), a.groups());
    assertEquals(0, a.group(new Demographics("F", REF, " tw ", null)));
    assertEquals(1, a.group(new Demographics("F", REF, "JP", null)));
  }

  @Test
  void region_unlistedOrMissing_isOther() {
    ProtectedAttribute a = ProtectedAttribute.region(List.of("Taipei", "Tainan"));
    assertEquals(List.of("Taipei", "Tainan", "other"), a.groups());
    assertEquals(1, a.group(new Demographics("F", REF, "TW", " Tainan")));
    assertEquals(2, a.group(new Demographics("F", REF, "TW", "Hualien")));
    assertEquals(2, a.group(new Demographics("F", REF, "TW", null)));
  }

  @Test
  void gender_outsideFmx_fails() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProtectedAttribute.gender().group(new Demographics("Q", REF, "TW", null)));
    assertEquals("gender must be F, M or X, got Q", e.getMessage());
  }

  @Test
  void duplicateRegion_fails() {
    assertThrows(
        IllegalArgumentException.class, () -> ProtectedAttribute.region(List.of("A", "A")));
    assertThrows(IllegalArgumentException.class, () -> ProtectedAttribute.region(List.of("other")));
  }
}
