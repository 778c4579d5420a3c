package io.cleanroom.testbed.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted mule networks as the files show them. The plan (same options, so the same networks)
 * says which accounts form a network and in which layer; everything else is read from the files.
 */
class GeneratorMuleNetworkTest {
  private static final GeneratorOptions OPTIONS = GeneratorOptions.of(5, 12_000, 7);

  @TempDir static Path shared;
  private static Dataset data;
  private static DatasetSummary summary;
  private static Generator.Plan plan;

  /** File key of each mule account, its network and its layer. */
  private static final Map<String, Integer> NETWORK = new HashMap<>();

  private static final Map<String, Byte> LAYER = new HashMap<>();

  @BeforeAll
  static void generate() throws Exception {
    summary = Generator.generate(shared.resolve("ds"), OPTIONS);
    data = Dataset.read(shared.resolve("ds"), summary.bankIds());
    plan = Generator.plan(OPTIONS);
    List<MuleNetworks.Network> networks = plan.networks().networks();
    for (int n = 0; n < networks.size(); n++) {
      MuleNetworks.Network network = networks.get(n);
      for (int i = 0; i < network.members().length; i++) {
        String key = key(network.members()[i]);
        NETWORK.put(key, n);
        LAYER.put(key, network.layers()[i]);
      }
    }
  }

  @Test
  void truth_marksExactlyThePlannedMules_about2PercentOfAccounts() {
    assertEquals(NETWORK.keySet(), data.mules);
    assertEquals(summary.mules(), data.mules.size());
    assertEquals(0.02, (double) data.mules.size() / OPTIONS.accounts(), 0.001);
    assertTrue(summary.rings() >= 20, "networks " + summary.rings());
  }

  @Test
  void everyNetwork_spansTwoBanks_withAllThreeLayers() {
    Map<Integer, Set<String>> banks = new HashMap<>();
    Map<Integer, Set<Byte>> layers = new HashMap<>();
    for (Map.Entry<String, Integer> e : NETWORK.entrySet()) {
      banks.computeIfAbsent(e.getValue(), k -> new HashSet<>()).add(Dataset.bankOf(e.getKey()));
      layers.computeIfAbsent(e.getValue(), k -> new HashSet<>()).add(LAYER.get(e.getKey()));
    }
    assertEquals(summary.rings(), banks.size());
    for (int n : banks.keySet()) {
      assertTrue(banks.get(n).size() >= 2, "network " + n + " at " + banks.get(n));
      assertEquals(Set.of((byte) 1, (byte) 2, (byte) 3), layers.get(n), "network " + n);
    }
  }

  @Test
  void victims_payTheFirstLayer_whichPassesItToAnotherBankWithinHours() {
    Map<String, List<Map<String, String>>> incoming = data.incoming();
    int passed = 0;
    int cashedOut = 0;
    for (Map<String, String> t : data.transactions.values()) {
      String from = Dataset.from(t);
      String to = Dataset.to(t);
      boolean fromMule = data.mules.contains(from);
      boolean toMule = data.mules.contains(to);
      if (!fromMule && toMule) {
        assertEquals((byte) 1, LAYER.get(to), "only first-layer mules are paid by outsiders " + t);
      }
      if (fromMule && toMule) {
        assertEquals(NETWORK.get(from), NETWORK.get(to), "money stays in its network " + t);
        byte layer = LAYER.get(from);
        assertEquals(layer + 1, (int) LAYER.get(to), "money moves one layer on " + t);
        // What it passes on arrived shortly before: from a victim, or from the layer before.
        Instant ts = Instant.parse(t.get("ts"));
        boolean fed = false;
        for (Map<String, String> in : incoming.get(from)) {
          Duration before = Duration.between(Instant.parse(in.get("ts")), ts);
          boolean right = (layer == 1) != data.mules.contains(Dataset.from(in));
          fed |=
              right
                  && !before.isNegative()
                  && before.compareTo(Duration.ofHours(layer == 1 ? 3 : 6)) <= 0
                  && amount(in) >= amount(t);
        }
        assertTrue(fed, "nothing came in shortly before " + t);
        if (layer == 1) {
          assertFalse(t.get("from_bank").equals(t.get("to_bank")), "first layer stays " + t);
          passed++;
        } else {
          cashedOut++;
        }
      }
    }
    assertTrue(passed > 3 * summary.rings(), "first-to-second transfers " + passed);
    assertTrue(cashedOut > 3 * summary.rings(), "second-to-cash-out transfers " + cashedOut);
  }

  @Test
  void everyMule_sharesAnIdentifierWithAMuleOfItsNetworkAtAnotherBank() {
    Map<String, Set<String>> ids = new HashMap<>();
    for (String mule : data.mules) {
      ids.put(mule, data.identifiers(mule));
    }
    Map<String, Integer> byKind = new HashMap<>();
    for (String mule : data.mules) {
      boolean linked = false;
      for (String other : data.mules) {
        if (NETWORK.get(other).equals(NETWORK.get(mule))
            && !Dataset.bankOf(other).equals(Dataset.bankOf(mule))) {
          for (String id : ids.get(mule)) {
            if (ids.get(other).contains(id)) {
              linked = true;
              byKind.merge(id.substring(0, id.indexOf(':')), 1, Integer::sum);
            }
          }
        }
      }
      assertTrue(linked, mule + " shares nothing across banks in its network");
    }
    // All four kinds of link occur: a person at two banks, the herder's device, phone, e-mail.
    assertEquals(Set.of("national_id", "device", "phone", "email"), byKind.keySet());
  }

  @Test
  void muleAccounts_areFresh() {
    LocalDate earliest = Generator.START.minusDays(MuleNetworks.FRESH_DAYS + 1);
    Map<String, LocalDate> firstUse = new HashMap<>();
    for (Map<String, String> t : data.transactions.values()) {
      LocalDate day = LocalDate.parse(t.get("ts").substring(0, 10));
      firstUse.putIfAbsent(Dataset.from(t), day);
      firstUse.putIfAbsent(Dataset.to(t), day);
    }
    int openedInWindow = 0;
    for (String mule : data.mules) {
      LocalDate opened = LocalDate.parse(data.accounts.get(mule).get("opened_on"));
      assertFalse(opened.isBefore(earliest), mule + " opened " + opened);
      assertFalse(firstUse.containsKey(mule) && firstUse.get(mule).isBefore(opened), mule);
      openedInWindow += opened.isBefore(Generator.START) ? 0 : 1;
    }
    assertTrue(openedInWindow > data.mules.size() / 2, "opened in the window " + openedInWindow);
    long oldOrdinary =
        data.accounts.entrySet().stream()
            .filter(e -> !data.mules.contains(e.getKey()))
            .filter(e -> LocalDate.parse(e.getValue().get("opened_on")).isBefore(earliest))
            .count();
    assertTrue(oldOrdinary > 0.95 * (OPTIONS.accounts() - data.mules.size()));
  }

  @Test
  void aboutAThirdOfMules_areAlerts_frozenFromTheirFlagDay_andGreyIsOrdinary() {
    int alerts = 0;
    int grey = 0;
    Map<String, Instant> frozen = new HashMap<>();
    for (Map.Entry<String, Map<String, String>> e : data.alerts.entrySet()) {
      Map<String, String> a = e.getValue();
      LocalDate day = LocalDate.parse(a.get("flagged_on"));
      assertFalse(day.isBefore(Generator.START), a.toString());
      if (a.get("level").equals("alert")) {
        assertTrue(data.mules.contains(e.getKey()), "alert on an ordinary account " + a);
        alerts++;
        frozen.put(e.getKey(), day.atStartOfDay().toInstant(ZoneOffset.UTC));
      } else {
        assertEquals("grey", a.get("level"));
        assertFalse(data.mules.contains(e.getKey()), "grey on a mule " + a);
        grey++;
      }
    }
    assertEquals(summary.alertAccounts(), alerts);
    assertEquals(summary.greyAccounts(), grey);
    assertEquals(1 / 3.0, (double) alerts / data.mules.size(), 0.06);
    assertEquals(0.002, (double) grey / (OPTIONS.accounts() - data.mules.size()), 0.0005);
    for (Map<String, String> t : data.transactions.values()) {
      Instant ts = Instant.parse(t.get("ts"));
      for (String account : List.of(Dataset.from(t), Dataset.to(t))) {
        assertFalse(
            frozen.containsKey(account) && !ts.isBefore(frozen.get(account)),
            "a frozen account moved money " + t);
      }
    }
    // First-layer mules are reported most: victims know the account they paid.
    Map<Byte, int[]> byLayer = new HashMap<>();
    for (String mule : data.mules) {
      int[] c = byLayer.computeIfAbsent(LAYER.get(mule), k -> new int[2]);
      c[0]++;
      c[1] += frozen.containsKey(mule) ? 1 : 0;
    }
    double first = (double) byLayer.get((byte) 1)[1] / byLayer.get((byte) 1)[0];
    double cash = (double) byLayer.get((byte) 3)[1] / byLayer.get((byte) 3)[0];
    assertTrue(first > cash, "alert rate first layer " + first + ", cash-out " + cash);
  }

  @Test
  void fractionOptions_changeWhatIsPlanted() {
    GeneratorOptions more =
        OPTIONS.withMuleFraction(0.05).withAlertFraction(0.6).withGreyFraction(0.01);
    Generator.Plan p = Generator.plan(more);
    long mules = 0;
    for (int b = 0; b < p.layout().banks(); b++) {
      mules += p.layout().mules(b);
    }
    assertEquals(0.05, (double) mules / more.accounts(), 0.002);
    // Networks are reported unevenly, so the share varies by a few points from seed to seed.
    assertEquals(0.6, p.fraud().flagged(Flag.ALERT) / (double) mules, 0.08);
    assertEquals(0.01, p.fraud().flagged(Flag.GREY) / (double) (more.accounts() - mules), 0.001);

    Generator.Plan none = Generator.plan(OPTIONS.withMuleFraction(0).withGreyFraction(0));
    assertEquals(0, none.networks().networks().size());
    assertEquals(0, none.fraud().transfers().size());
    assertEquals(0, none.fraud().flags().size());
  }

  private static double amount(Map<String, String> t) {
    return Double.parseDouble(t.get("amount"));
  }

  private static String key(int account) {
    BankLayout layout = plan.layout();
    int b = layout.bankOf(account);
    return Dataset.key(BankLayout.bankId(b), layout.accountId(new CsvLine(), account).toString());
  }
}
