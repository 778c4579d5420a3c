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
    for (int n = 0; n < 100_000; n++) {
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
  void outsiderContacts_belongToNobody() {
    People people = new People(99);
    Set<String> phones = new HashSet<>();
    Set<String> emails = new HashSet<>();
    for (int n = 0; n < 20_000; n++) {
      Person p = people.get(n);
      phones.add(p.phone());
      emails.add(p.email().replaceAll("[^0-9]", ""));
    }
    for (int k = 0; k < 1000; k++) {
      People.Contact c = people.outsider(k);
      assertTrue(c.phone().matches("09[0-9]{8}") && phones.add(c.phone()), c.phone());
      assertTrue(emails.add(c.email().replaceAll("[^0-9]", "")), c.email());
    }
  }

  @Test
  void amountsAndIdsAreFormattedExactly() {
    assertEquals("A000123", new CsvLine().id('A', 123, 6).toString());
    assertEquals("A1234567", new CsvLine().id('A', 1_234_567, 6).toString());
    assertEquals("12.05", new CsvLine().amount(1205).toString());
    assertEquals("0.10", new CsvLine().amount(10).toString());
    assertEquals("dev-00000000000000ff", new CsvLine().text("dev-").hex(255).toString());
    String[] days = {"2026-01-01", "2026-01-02"};
    assertEquals("2026-01-02T01:02:03Z", new CsvLine().timestamp(days, 86_400 + 3723).toString());
  }
}
