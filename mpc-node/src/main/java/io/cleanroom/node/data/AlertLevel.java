package io.cleanroom.node.data;

/**
 * How a bank has flagged an account in {@code alerts.csv}. Declared in increasing severity, so
 * {@link #compareTo} orders levels by severity.
 */
public enum AlertLevel {
  /** Not listed in {@code alerts.csv}. */
  NONE,
  /** Listed with level {@code grey} (灰名單): under watch. */
  GREY,
  /** Listed with level {@code alert} (警示帳戶): a confirmed warning account. */
  ALERT;

  private static final AlertLevel[] VALUES = values();

  /** The level written as {@code text} in alerts.csv, or {@code null} if not alert or grey. */
  static AlertLevel parse(String text) {
    return switch (text) {
      case "alert" -> ALERT;
      case "grey" -> GREY;
      default -> null;
    };
  }

  static AlertLevel of(int ordinal) {
    return VALUES[ordinal];
  }
}
