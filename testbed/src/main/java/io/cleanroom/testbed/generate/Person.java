package io.cleanroom.testbed.generate;

/**
 * A synthetic person: the identity fields a bank records about a customer. Made by {@link People}.
 *
 * @param nationalId Taiwan format: letter, sex digit (1/2 citizens, 8/9 residents), 7 digits and
 *     the check digit
 * @param email empty for some people; domains are the reserved example.com/.net/.org
 * @param phone {@code 09} and 8 digits, or empty
 * @param birthDate ISO date
 * @param gender {@code F}, {@code M} or {@code X}
 * @param nationality ISO 3166 alpha-2
 * @param region Taiwan county or city, or empty
 * @param devices how many personal devices the person uses (0 to 2)
 */
record Person(
    String nationalId,
    String email,
    String phone,
    String birthDate,
    char gender,
    String nationality,
    String region,
    int devices) {

  private static final int[] LETTER_CODES = {
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30,
    31, 33
  };

  /** Whether {@code id} is a well-formed Taiwan national id with a correct check digit. */
  static boolean validNationalId(String id) {
    if (id.length() != 10 || id.charAt(0) < 'A' || id.charAt(0) > 'Z') {
      return false;
    }
    for (int i = 1; i < 10; i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return false;
      }
    }
    return checkDigit(id.substring(0, 9)) == id.charAt(9) - '0';
  }

  /**
   * The check digit completing a national id: the letter's two-digit code weighted 1 and 9, then
   * the eight digits weighted 8 down to 1, must sum with it to a multiple of 10.
   */
  static int checkDigit(String firstNine) {
    int code = LETTER_CODES[firstNine.charAt(0) - 'A'];
    int sum = code / 10 + (code % 10) * 9;
    for (int i = 1; i < 9; i++) {
      sum += (firstNine.charAt(i) - '0') * (9 - i);
    }
    return (10 - sum % 10) % 10;
  }
}
