package io.cleanroom.testbed.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The options' defaults, validation, and the planted recruitment bias. */
class GeneratorOptionsTest {
  private static final GeneratorOptions BASE =
      GeneratorOptions.of(4, 30_000, 3).withMuleFraction(0.05);

  @Test
  void of_setsTheDocumentedDefaults() {
    GeneratorOptions o = GeneratorOptions.of(3, 1000, 9);
    assertEquals(new GeneratorOptions(3, 1000, 9, 0.02, 1 / 3.0, 0.002, Map.of(), false, false), o);
    assertEquals(
        o,
        o.withBanks(5).withAccounts(2000).withSeed(1).withBanks(3).withAccounts(1000).withSeed(9));
  }

  @Test
  void hardMuleKnobs_surviveEveryOtherWither() {
    GeneratorOptions o =
        GeneratorOptions.of(3, 1000, 9)
            .withOrdinaryAgeMules(true)
            .withOverlappingFraudAmounts(true)
            .withBanks(4)
            .withAccounts(2000)
            .withSeed(2)
            .withMuleFraction(0.01)
            .withAlertFraction(0.5)
            .withGreyFraction(0.001)
            .withRecruitmentBias("age:<25=2");
    assertEquals(
        new GeneratorOptions(
            4, 2000, 2, 0.01, 0.5, 0.001, Map.of("age", Map.of("<25", 2.0)), true, true),
        o);
    assertEquals(
        GeneratorOptions.of(3, 1000, 9),
        GeneratorOptions.of(3, 1000, 9)
            .withOrdinaryAgeMules(true)
            .withOverlappingFraudAmounts(true)
            .withOrdinaryAgeMules(false)
            .withOverlappingFraudAmounts(false));
  }

  @Test
  void recruitmentBias_isBuiltFromWithersOrSpecs() {
    GeneratorOptions o =
        BASE.withRecruitmentBias("age", "<25", 3)
            .withRecruitmentBias("region:New Taipei=1.5")
            .withRecruitmentBias("age:>=65=0.5")
            .withRecruitmentBias("age", "<25", 2.5);
    assertEquals(
        Map.of("age", Map.of("<25", 2.5, ">=65", 0.5), "region", Map.of("New Taipei", 1.5)),
        o.recruitmentBias());
    assertEquals(
        List.of("gender", "age", "nationality", "region"), GeneratorOptions.biasAttributes());
    assertEquals(List.of("TW", "other"), GeneratorOptions.biasGroups("nationality"));
    assertTrue(GeneratorOptions.biasGroups("region").contains("unknown"));
  }

  @Test
  void badValues_areRefusedWithTheirReason() {
    assertMessage(
        "muleFraction must be between 0 and 0.2, got 0.3", () -> BASE.withMuleFraction(0.3));
    assertMessage(
        "alertFraction must be between 0 and 1.0, got NaN",
        () -> BASE.withAlertFraction(Double.NaN));
    assertMessage(
        "greyFraction must be between 0 and 0.1, got -0.1", () -> BASE.withGreyFraction(-0.1));
    assertMessage(
        "unknown bias attribute \"income\"; expected one of gender, age, nationality, region",
        () -> BASE.withRecruitmentBias("income", "high", 2));
    assertMessage(
        "unknown age group \"18-24\"; expected one of <25, 25-44, 45-64, >=65",
        () -> BASE.withRecruitmentBias("age", "18-24", 2));
    assertMessage(
        "bias weight must be above 0 and at most 20.0, got 0.0",
        () -> BASE.withRecruitmentBias("gender", "F", 0));
    assertMessage(
        "bias must be written attribute:group=weight, e.g. age:<25=3, got \"age=3\"",
        () -> BASE.withRecruitmentBias("age=3"));
    assertMessage(
        "bias weight must be a number, got \"x\"", () -> BASE.withRecruitmentBias("gender:F=x"));
    assertMessage(
        "unknown gender group \"f\"; expected one of F, M, X",
        () ->
            new GeneratorOptions(
                2, 100, 1, 0, 0, 0, Map.of("gender", Map.of("f", 2.0)), false, false));
  }

  @Test
  void recruitmentBias_raisesTheBiasedGroupsMuleRate() {
    double[] plain = muleRates(BASE, "age", "<25");
    double[] biased = muleRates(BASE.withRecruitmentBias("age", "<25", 3), "age", "<25");
    // {group's mule rate, everyone else's}
    assertEquals(1.0, plain[0] / plain[1], 0.35, "unbiased ratio");
    assertTrue(biased[0] > 2 * plain[0], "group rate " + biased[0] + " vs " + plain[0]);
    assertEquals(3.0, biased[0] / biased[1], 0.8, "biased ratio");

    double[] women = muleRates(BASE.withRecruitmentBias("gender:F=0.25"), "gender", "F");
    assertEquals(0.25, women[0] / women[1], 0.1, "women recruited a quarter as often");
  }

  /** The mule rate of accounts whose holder is in {@code group}, and of all other accounts. */
  private static double[] muleRates(GeneratorOptions o, String attribute, String group) {
    Generator.Plan plan = Generator.plan(o);
    BankLayout layout = plan.layout();
    long[] accounts = new long[2];
    long[] mules = new long[2];
    for (int b = 0; b < layout.banks(); b++) {
      for (int local = 0; local < layout.size(b); local++) {
        Person p = plan.people().get(layout.personOf(b, layout.customerOf(b, local)));
        int other = Demographics.groupOf(attribute, p).equals(group) ? 0 : 1;
        accounts[other]++;
        mules[other] += local < layout.mules(b) ? 1 : 0;
      }
    }
    return new double[] {(double) mules[0] / accounts[0], (double) mules[1] / accounts[1]};
  }

  private static void assertMessage(String expected, Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }
}
