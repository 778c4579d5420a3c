package io.cleanroom.node.data;

/** A customer's gender as recorded in {@code customers.csv}. */
public enum Gender {
  /** Female, written {@code F}. */
  F,
  /** Male, written {@code M}. */
  M,
  /** Other or not stated, written {@code X}. */
  X;

  private static final Gender[] VALUES = values();

  /** The gender written as {@code text}, or {@code null} if it is not exactly F, M or X. */
  static Gender parse(String text) {
    if (text.length() == 1) {
      for (Gender g : VALUES) {
        if (g.name().charAt(0) == text.charAt(0)) {
          return g;
        }
      }
    }
    return null;
  }

  static Gender of(int ordinal) {
    return VALUES[ordinal];
  }
}
