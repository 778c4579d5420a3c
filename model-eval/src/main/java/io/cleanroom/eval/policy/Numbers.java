package io.cleanroom.eval.policy;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers in check details: four significant digits, no trailing zeros. */
final class Numbers {
  private Numbers() {}

  static String format(double v) {
    if (!Double.isFinite(v)) {
      return Double.isNaN(v) ? "undefined" : v > 0 ? "∞" : "-∞";
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
    double a = Math.abs(v);
    return a == 0 || (a >= 1e-4 && a < 1e7) ? d.toPlainString() : d.toString();
  }
}
