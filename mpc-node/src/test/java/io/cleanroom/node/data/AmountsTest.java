package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AmountsTest {

  @Test
  void plainDecimals() {
    assertEquals(10.0, Amounts.parse("10"));
    assertEquals(0.1, Amounts.parse("0.1"));
    assertEquals(191.46, Amounts.parse("191.46"));
    assertEquals(1234567890.12, Amounts.parse("1234567890.12"));
    assertEquals(-5.0, Amounts.parse("-5.00"));
    assertEquals(0.0, Amounts.parse("000.000"));
  }

  @Test
  void longInputsTakeTheGeneralAlgorithm() {
    String s = "12345678901234567890.123456789";
    assertEquals(Double.parseDouble(s), Amounts.parse(s));
    assertEquals(Double.POSITIVE_INFINITY, Amounts.parse("9".repeat(400)));
  }

  @Test
  void anythingElseIsNotANumber() {
    for (String bad :
        new String[] {
          "",
          "-",
          ".",
          ".5",
          "5.",
          "1e3",
          "+5",
          "NaN",
          "Infinity",
          "1,000",
          " 5",
          "--5",
          "5-",
          "1.2.3",
          "0x10"
        }) {
      assertTrue(Double.isNaN(Amounts.parse(bad)), bad);
    }
  }

  @Test
  void agreesWithDoubleParseDouble() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      String s = rng.nextLong(0, 1L << rng.nextInt(1, 63)) + "." + rng.nextInt(0, 1_000_000);
      assertEquals(Double.parseDouble(s), Amounts.parse(s), s);
    }
  }
}
