package io.cleanroom.testbed.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.data.BankFolder;
import io.cleanroom.testbed.cli.CleanroomCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The knobs that make mules hard to spot by their own records, on datasets like a consortium's: 5
 * banks, 12,000 accounts, 0.9% of them mules. Each knob is compared with the same options without
 * it, which also shows that the difference it removes is there by default.
 */
class GeneratorHardMulesTest {
  private static final GeneratorOptions PLAIN =
      GeneratorOptions.of(5, 12_000, 7).withMuleFraction(0.009);
  private static final GeneratorOptions HARD =
      PLAIN.withOrdinaryAgeMules(true).withOverlappingFraudAmounts(true);
  private static final LocalDate WINDOW_END = Generator.START.plusDays(Generator.WINDOW_DAYS);

  @TempDir static Path shared;
  private static Dataset plain;

  @BeforeAll
  static void generatePlain() throws Exception {
    plain = generate(PLAIN, "plain");
  }

  @Test
  void commandLine_muleFraction0009_flagsBetween02And05PercentOfAccountsAlert() throws Exception {
    Path out = shared.resolve("cli");
    assertEquals(0, cli("--mule-fraction", "0.009", "--out", out.toString()));
    assertEquals(GeneratorTest.digest(shared.resolve("plain")), GeneratorTest.digest(out));
    double rate = (double) alerts(plain) / PLAIN.accounts();
    assertTrue(rate >= 0.002 && rate <= 0.005, "alert rate " + rate);
  }

  @Test
  void commandLine_hardDataset_isTheHardOptions_loadsAndFlagsFewAccounts() throws Exception {
    Path out = shared.resolve("cli-hard");
    assertEquals(
        0,
        cli(
            "--mule-fraction",
            "0.009",
            "--ordinary-age-mules",
            "--overlapping-amounts",
            "--out",
            out.toString()));
    Dataset hard = generate(HARD, "hard");
    assertEquals(GeneratorTest.digest(shared.resolve("hard")), GeneratorTest.digest(out));
    double rate = (double) alerts(hard) / HARD.accounts();
    assertTrue(rate >= 0.002 && rate <= 0.005, "alert rate " + rate);
    Set<String> banks = Set.copyOf(hard.banks);
    for (String bank : hard.banks) {
      BankFolder.load(out.resolve(bank), bank, banks); // the nodes accept it
    }
    assertUsedOnlyOnceOpen(hard);
  }

  @Test
  void commandLine_alertFraction_isTheAlertFractionOption() throws Exception {
    Path out = shared.resolve("cli-half");
    assertEquals(
        0, cli("--mule-fraction", "0.009", "--alert-fraction", "0.5", "--out", out.toString()));
    Dataset half = generate(PLAIN.withAlertFraction(0.5), "half");
    assertEquals(GeneratorTest.digest(shared.resolve("half")), GeneratorTest.digest(out));
    assertTrue(alerts(half) > alerts(plain), alerts(half) + " alerts vs " + alerts(plain));
  }

  @Test
  void commandLine_badFraction_isRefusedWithItsReason() {
    StringWriter err = new StringWriter();
    CommandLine cl = CleanroomCli.commandLine().setErr(new PrintWriter(err, true));
    Path out = shared.resolve("refused");
    int code = cl.execute(cmd("--alert-fraction", "1.5", "--out", out.toString()));
    assertEquals(1, code);
    assertEquals(
        "cleanroom generate: alertFraction must be between 0 and 1.0, got 1.5",
        err.toString().strip());
    assertFalse(out.toFile().exists(), "nothing written");
  }

  @Test
  void ordinaryAgeMules_areAsOldAsOrdinaryAccounts_andNothingElseOfTheirsChanges()
      throws Exception {
    Dataset aged = generate(PLAIN.withOrdinaryAgeMules(true), "aged");
    double[] before = meanAgeDays(plain);
    double[] after = meanAgeDays(aged);
    // {ordinary, mule}: fresh by default, within 15% of ordinary accounts' age with the knob.
    assertTrue(before[1] < 0.1 * before[0], "default mule age " + before[1] + " vs " + before[0]);
    assertEquals(1, after[1] / after[0], 0.15, "mule age " + after[1] + " vs " + after[0]);
    assertEquals(before[0], after[0], "ordinary accounts keep their ages");
    assertEquals(plain.mules, aged.mules);
    assertEquals(plain.customers, aged.customers);
    assertEquals(plain.devices, aged.devices);
    assertEquals(plain.alerts, aged.alerts);
    assertUsedOnlyOnceOpen(aged);
  }

  @Test
  void overlappingFraudAmounts_giveMulesTheMeanOutgoingAmountOfOrdinaryAccounts() throws Exception {
    Dataset overlapping = generate(PLAIN.withOverlappingFraudAmounts(true), "overlapping");
    double[] before = meanOutgoingTwd(plain);
    double[] after = meanOutgoingTwd(overlapping);
    // {ordinary, mule}: the average over accounts of each one's mean outgoing amount.
    assertTrue(before[1] > 3 * before[0], "default mule mean " + before[1] + " vs " + before[0]);
    double ratio = after[1] / after[0];
    assertTrue(ratio > 1 / 1.5 && ratio < 1.5, "mule mean " + after[1] + " vs " + after[0]);
    // The money still moves through the networks.
    assertTrue(
        muleToMule(overlapping) > muleToMule(plain) / 2,
        "mule-to-mule transfers " + muleToMule(overlapping) + " vs " + muleToMule(plain));
    assertUsedOnlyOnceOpen(overlapping);
  }

  private static Dataset generate(GeneratorOptions options, String name) throws Exception {
    DatasetSummary s = Generator.generate(shared.resolve(name), options);
    return Dataset.read(shared.resolve(name), s.bankIds());
  }

  private static int cli(String... args) {
    return CleanroomCli.execute(cmd(args));
  }

  /** {@code generate} with {@link #PLAIN}'s banks, accounts and seed, then {@code args}. */
  private static String[] cmd(String... args) {
    List<String> all =
        new ArrayList<>(List.of("generate", "--banks", "5", "--accounts", "12000", "--seed", "7"));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static long alerts(Dataset d) {
    return d.alerts.values().stream().filter(a -> a.get("level").equals("alert")).count();
  }

  /** Mean days from opening to the window's end, of ordinary accounts and of mule accounts. */
  private static double[] meanAgeDays(Dataset d) {
    double[] sum = new double[2];
    int[] n = new int[2];
    for (Map.Entry<String, Map<String, String>> a : d.accounts.entrySet()) {
      int g = d.mules.contains(a.getKey()) ? 1 : 0;
      LocalDate opened = LocalDate.parse(a.getValue().get("opened_on"));
      sum[g] += WINDOW_END.toEpochDay() - opened.toEpochDay();
      n[g]++;
    }
    return new double[] {sum[0] / n[0], sum[1] / n[1]};
  }

  /**
   * Over the ordinary accounts that send anything, and over the mule accounts that do, the average
   * of each account's mean outgoing amount in TWD.
   */
  private static double[] meanOutgoingTwd(Dataset d) {
    Map<String, double[]> sent = new HashMap<>(); // account -> {count, sum}
    for (Map<String, String> t : d.transactions.values()) {
      double[] s = sent.computeIfAbsent(Dataset.from(t), k -> new double[2]);
      s[0]++;
      s[1] += Double.parseDouble(t.get("amount"));
    }
    double[] sum = new double[2];
    int[] n = new int[2];
    for (Map.Entry<String, double[]> e : sent.entrySet()) {
      int g = d.mules.contains(e.getKey()) ? 1 : 0;
      sum[g] += e.getValue()[1] / e.getValue()[0];
      n[g]++;
    }
    return new double[] {sum[0] / n[0], sum[1] / n[1]};
  }

  private static long muleToMule(Dataset d) {
    return d.transactions.values().stream()
        .filter(t -> d.mules.contains(Dataset.from(t)) && d.mules.contains(Dataset.to(t)))
        .count();
  }

  private static void assertUsedOnlyOnceOpen(Dataset d) {
    for (Map<String, String> t : d.transactions.values()) {
      String day = t.get("ts").substring(0, 10);
      for (String account : List.of(Dataset.from(t), Dataset.to(t))) {
        String opened = d.accounts.get(account).get("opened_on");
        assertTrue(day.compareTo(opened) >= 0, "used before opened: " + t);
      }
    }
  }
}
