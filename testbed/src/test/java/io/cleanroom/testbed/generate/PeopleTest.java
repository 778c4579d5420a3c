package io.cleanroom.testbed.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeopleTest {

  @Test
  void checkDigitMatchesTheOfficialExample() {
    assertTrue(Person.validNationalId("A123456789"));
    assertFalse(Person.validNationalId("A123456788"));
    assertFalse(Person.validNationalId("a123456789"));
  }

  @Test
  void identityFieldsAreUniqueAndValid() {
    People people = new People(99);
    Set<String> ids = new HashSet<>();
    Set<String> emails = new HashSet<>();
    Set<String> phones = new HashSet<>();
    for (int n = 0; n < 200_000; n++) {
      Person p = people.get(n);
      assertTrue(Person.validNationalId(p.nationalId()), p.nationalId());
      assertTrue(ids.add(p.nationalId().substring(0, 1) + p.nationalId().substring(2, 9)));
      assertTrue(p.email().isEmpty() || emails.add(p.email().replaceAll("[^0-9]", "")));
      assertTrue(p.phone().isEmpty() || phones.add(p.phone()));
    }
  }

  @Test
  void aPersonIsAFunctionOfSeedAndNumber() {
    assertEquals(new People(5).get(1234), new People(5).get(1234));
    assertFalse(new People(5).get(1234).equals(new People(6).get(1234)));
  }

  @Test
  void internationalPhoneKeepsTheDigits() {
    Person p = new Person("A123456789", "", "0912345678", "1990-01-01", 'F', "TW", "", 0);
    assertEquals("+886 912 345 678", p.internationalPhone());
  }

  @Test
  void amountsAndIdsAreFormattedExactly() {
    assertEquals("A000123", CsvOut.id(new StringBuilder(), 'A', 123, 6).toString());
    assertEquals("A1234567", CsvOut.id(new StringBuilder(), 'A', 1_234_567, 6).toString());
    assertEquals("12.05", CsvOut.amount(new StringBuilder(), 1205).toString());
    assertEquals("0.10", CsvOut.amount(new StringBuilder(), 10).toString());
  }
}
