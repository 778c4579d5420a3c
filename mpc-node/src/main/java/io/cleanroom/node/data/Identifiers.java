package io.cleanroom.node.data;

import java.util.Locale;

/**
 * The normalisation applied to identifiers before linkage, as fixed by the data format. Every bank
 * applies the same rules, so the same person's identifier compares equal across banks however each
 * bank happened to record it.
 *
 * <p>Each method returns the empty string for {@code null} or for a value that normalises to
 * nothing; an empty identifier never links. "Trimmed" strips Unicode white space, including the
 * ideographic space U+3000 that East Asian input methods produce.
 */
public final class Identifiers {
  private static final String TAIWAN_CODE = "886";

  private Identifiers() {}

  /** National id: trimmed and upper-cased, e.g. {@code " a123456789 "} → {@code A123456789}. */
  public static String normaliseNationalId(String value) {
    return value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
  }

  /** E-mail address: trimmed and lower-cased, e.g. {@code "Foo@Example.COM "}. */
  public static String normaliseEmail(String value) {
    return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Phone number: ASCII digits only, with a leading Taiwan country code 886 replaced by the trunk
   * prefix 0, e.g. {@code "+886 912-345-678"} → {@code 0912345678}.
   */
  public static String normalisePhone(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder digits = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      }
    }
    if (digits.indexOf(TAIWAN_CODE) == 0) {
      digits.replace(0, TAIWAN_CODE.length(), "0");
    }
    return digits.toString();
  }

  /** Device id: trimmed only, since device ids are opaque and may be case-sensitive. */
  public static String normaliseDevice(String value) {
    return value == null ? "" : value.strip();
  }
}
