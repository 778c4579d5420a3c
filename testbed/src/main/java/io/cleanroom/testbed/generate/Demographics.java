package io.cleanroom.testbed.generate;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The protected attributes and groups of the project's fairness reports (GOVERNANCE.md: gender, age
 * band, nationality TW vs other, region), as the generator's recruitment bias names them. Kept in
 * one place so that a planted bias and the report that should find it group people alike.
 */
final class Demographics {
  static final String GENDER = "gender";
  static final String AGE = "age";
  static final String NATIONALITY = "nationality";
  static final String REGION = "region";
  static final List<String> ATTRIBUTES = List.of(GENDER, AGE, NATIONALITY, REGION);

  static final String UNKNOWN_REGION = "unknown";
  private static final List<String> GENDERS = List.of("F", "M", "X");
  private static final List<String> AGE_BANDS = List.of("<25", "25-44", "45-64", ">=65");
  private static final List<String> NATIONALITIES = List.of("TW", "other");
  private static final List<String> REGIONS;

  static {
    List<String> regions = new ArrayList<>(People.regions());
    regions.add(UNKNOWN_REGION);
    REGIONS = List.copyOf(regions);
  }

  private Demographics() {}

  /** The groups of {@code attribute}, or null if there is no such attribute. */
  static List<String> groups(String attribute) {
    return switch (attribute) {
      case GENDER -> GENDERS;
      case AGE -> AGE_BANDS;
      case NATIONALITY -> NATIONALITIES;
      case REGION -> REGIONS;
      default -> null;
    };
  }

  /** The group of {@code attribute} that {@code p} belongs to. */
  static String groupOf(String attribute, Person p) {
    return switch (attribute) {
      case GENDER -> String.valueOf(p.gender());
      case AGE -> ageBand(LocalDate.parse(p.birthDate()));
      case NATIONALITY -> p.nationality().equals("TW") ? "TW" : "other";
      case REGION -> p.region().isEmpty() ? UNKNOWN_REGION : p.region();
      default -> throw new IllegalArgumentException("unknown attribute " + attribute);
    };
  }

  /** Age band at the start of the transaction window. */
  static String ageBand(LocalDate birth) {
    long age = ChronoUnit.YEARS.between(birth, Generator.START);
    return age < 25 ? "<25" : age < 45 ? "25-44" : age < 65 ? "45-64" : ">=65";
  }
}
