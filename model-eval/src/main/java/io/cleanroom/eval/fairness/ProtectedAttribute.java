package io.cleanroom.eval.fairness;

import io.cleanroom.eval.rows.Demographics;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * A protected attribute and its public, fixed list of groups; {@link #group} puts an account holder
 * in exactly one of them. Fixed groups make every bank's counts line up, whatever values its own
 * customers have.
 *
 * <p>Gender, birth date and nationality are required by the data format; a holder without them is
 * refused rather than counted in a group of its own. Region is optional: a holder without a region,
 * or with a region not on the list, is counted in {@value #OTHER}.
 */
public final class ProtectedAttribute {

  /** The group of every value not listed. */
  public static final String OTHER = "other";

  private final String name;
  private final List<String> groups;
  private final ToIntFunction<Demographics> classifier;

  private ProtectedAttribute(
      String name, List<String> groups, ToIntFunction<Demographics> classifier) {
    this.name = name;
    this.groups = List.copyOf(groups);
    this.classifier = classifier;
  }

  /** {@code gender}: F, M, X. */
  public static ProtectedAttribute gender() {
    List<String> groups = List.of("F", "M", "X");
    return new ProtectedAttribute(
        "gender",
        groups,
        d -> {
          int g = d.gender() == null ? -1 : groups.indexOf(d.gender().trim());
          if (g < 0) {
            throw new IllegalArgumentException("gender must be F, M or X, got " + d.gender());
          }
          return g;
        });
  }

  /** {@code age_band}: age in whole years on {@code reference}: <25, 25–44, 45–64, ≥65. */
  public static ProtectedAttribute ageBand(LocalDate reference) {
    return new ProtectedAttribute(
        "age_band",
        List.of("<25", "25-44", "45-64", ">=65"),
        d -> {
          if (d.birthDate() == null) {
            throw new IllegalArgumentException("birth date is missing");
          }
          if (d.birthDate().isAfter(reference)) {
            throw new IllegalArgumentException(
                "birth date " + d.birthDate() + " is after the reference date " + reference);
          }
          int age = Period.between(d.birthDate(), reference).getYears();
          return age < 25 ? 0 : age < 45 ? 1 : age < 65 ? 2 : 3;
        });
  }

  /** {@code nationality}: {@code home} (e.g. TW) or {@value #OTHER}. */
  public static ProtectedAttribute nationality(String home) {
    String code = home.trim().toUpperCase(Locale.ROOT);
    return new ProtectedAttribute(
        "nationality",
        List.of(code, OTHER),
        d -> {
          if (d.nationality() == null || d.nationality().isBlank()) {
            throw new IllegalArgumentException("nationality is missing");
          }
          return d.nationality().trim().toUpperCase(Locale.ROOT).equals(code) ? 0 : 1;
        });
  }

  /** {@code region}: each listed region (exact match after trimming), then {@value #OTHER}. */
  public static ProtectedAttribute region(List<String> regions) {
    List<String> groups = new ArrayList<>();
    for (String r : regions) {
      String g = r.trim();
      if (g.isEmpty() || g.equals(OTHER) || groups.contains(g)) {
        throw new IllegalArgumentException("region groups must be distinct, non-empty, not other");
      }
      groups.add(g);
    }
    groups.add(OTHER);
    List<String> listed = groups.subList(0, groups.size() - 1);
    return new ProtectedAttribute(
        "region",
        groups,
        d -> {
          int g = d.region() == null ? -1 : listed.indexOf(d.region().trim());
          return g < 0 ? listed.size() : g;
        });
  }

  /** Gender, age band on {@code reference}, nationality TW or other, and region. */
  public static List<ProtectedAttribute> standard(LocalDate reference, List<String> regions) {
    return List.of(gender(), ageBand(reference), nationality("TW"), region(regions));
  }

  public String name() {
    return name;
  }

  public List<String> groups() {
    return groups;
  }

  /** The index in {@link #groups} of the holder's group. */
  public int group(Demographics holder) {
    return classifier.applyAsInt(holder);
  }

  /** Fails unless the attributes have distinct names. */
  static void requireDistinct(List<ProtectedAttribute> attributes) {
    var names = new HashSet<String>();
    for (ProtectedAttribute a : attributes) {
      if (!names.add(a.name)) {
        throw new IllegalArgumentException("attribute " + a.name + " is given twice");
      }
    }
    if (attributes.isEmpty()) {
      throw new IllegalArgumentException("no protected attributes");
    }
  }

  @Override
  public String toString() {
    return name + groups;
  }
}
