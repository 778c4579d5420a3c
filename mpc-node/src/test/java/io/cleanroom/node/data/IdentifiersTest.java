package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

  @Test
  void nationalIdIsTrimmedAndUpperCased() {
    assertEquals("A123456789", Identifiers.normaliseNationalId(" A123456789 "));
    assertEquals("A123456789", Identifiers.normaliseNationalId("a123456789"));
    assertEquals("A123456789", Identifiers.normaliseNationalId("\u3000A123456789\t"));
  }

  @Test
  void emailIsTrimmedAndLowerCased() {
    assertEquals("foo@example.com", Identifiers.normaliseEmail("Foo@Example.COM "));
    // Locale-independent: no dotless i under a Turkish default locale.
    assertEquals("ii@example.com", Identifiers.normaliseEmail("II@EXAMPLE.COM"));
  }

  @Test
  void phoneKeepsDigitsAndReplacesTheTaiwanCountryCode() {
    assertEquals("0912345678", Identifiers.normalisePhone("+886 912-345-678"));
    assertEquals("0912345678", Identifiers.normalisePhone("0912-345-678"));
    assertEquals("0223456789", Identifiers.normalisePhone("(02) 2345 6789"));
    assertEquals("0912345678", Identifiers.normalisePhone("886912345678"));
    // Only a leading 886 is a country code.
    assertEquals("0288612345", Identifiers.normalisePhone("02-886-12345"));
    assertEquals("", Identifiers.normalisePhone("n/a"));
  }

  @Test
  void deviceIsOnlyTrimmed() {
    assertEquals("Dev-ABC", Identifiers.normaliseDevice("  Dev-ABC \n"));
  }

  @Test
  void emptyAndNullNormaliseToEmpty() {
    for (String s : new String[] {null, "", "   "}) {
      assertEquals("", Identifiers.normaliseNationalId(s));
      assertEquals("", Identifiers.normaliseEmail(s));
      assertEquals("", Identifiers.normalisePhone(s));
      assertEquals("", Identifiers.normaliseDevice(s));
    }
  }
}
