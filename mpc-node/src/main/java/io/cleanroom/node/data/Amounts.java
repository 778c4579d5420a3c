package io.cleanroom.node.data;

/**
 * Parses amounts: plain decimals of the form {@code 123} or {@code 123.45}, optionally with a
 * leading minus sign so that a negative amount is reported as not positive rather than as
 * unreadable. Exponents, a leading {@code +}, thousands separators, {@code NaN} and {@code
 * Infinity} are refused: they are not how banks write amounts and would only hide mistakes.
 */
final class Amounts {
  private static final int EXACT_DIGITS = 15;
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  private Amounts() {}

  /**
   * The value of a decimal as described above, correctly rounded to a double; {@code NaN} if the
   * text is not such a decimal.
   */
  static double parse(String text) {
    int i = text.startsWith("-") ? 1 : 0;
    long mantissa = 0;
    int digits = 0;
    int fractionDigits = 0;
    boolean fraction = false;
    boolean digitSinceDot = false;
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits < EXACT_DIGITS) {
          mantissa = mantissa * 10 + (c - '0');
        }
        digits++;
        digitSinceDot = true;
        if (fraction) {
          fractionDigits++;
        }
      } else if (c == '.' && !fraction && digitSinceDot) {
        fraction = true;
        digitSinceDot = false;
      } else {
        return Double.NaN;
      }
    }
    if (!digitSinceDot) {
      return Double.NaN;
    }
    // Both operands are exact doubles, so one division rounds correctly (Clinger's fast path);
    // longer inputs take the slower general algorithm.
    double value =
        digits <= EXACT_DIGITS && fractionDigits < POWERS_OF_TEN.length
            ? mantissa / POWERS_OF_TEN[fractionDigits]
            : Double.parseDouble(text);
    return text.startsWith("-") ? -Math.abs(value) : value;
  }
}
