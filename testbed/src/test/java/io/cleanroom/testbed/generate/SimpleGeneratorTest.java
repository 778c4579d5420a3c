package io.cleanroom.testbed.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.data.BankCounts;
import io.cleanroom.node.data.BankFile;
import io.cleanroom.node.data.BankFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimpleGeneratorTest {
  private static final int BANKS = 4;
  private static final int ACCOUNTS = 5_000;
  private static final Pattern AMOUNT = Pattern.compile("[0-9]+\\.[0-9]{2}");
  private static final Pattern PHONE =
      Pattern.compile("09[0-9]{8}|\\+886 9[0-9]{2} [0-9]{3} [0-9]{3}");

  @TempDir static Path shared;
  private static Path root;
  private static DatasetSummary summary;

  @TempDir Path tmp;

  @BeforeAll
  static void generateOnce() throws IOException {
    root = shared.resolve("ds");
    summary = SimpleGenerator.generate(root, BANKS, ACCOUNTS, 20260101L);
  }

  @Test
  void sameSeedGivesIdenticalBytes() throws IOException {
    SimpleGenerator.generate(tmp.resolve("x"), BANKS, ACCOUNTS, 20260101L);
    List<Path> files = files(root);
    assertEquals(relative(root, files), relative(tmp.resolve("x"), files(tmp.resolve("x"))));
    assertEquals(1 + BANKS * BankFile.values().length, files.size());
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f),
          Files.readAllBytes(tmp.resolve("x").resolve(root.relativize(f))),
          f.toString());
    }
  }

  @Test
  void differentSeedGivesDifferentData() throws IOException {
    SimpleGenerator.generate(tmp.resolve("y"), BANKS, ACCOUNTS, 20260102L);
    for (String f : List.of("truth.csv", "bank-a/customers.csv", "bank-a/transactions.csv")) {
      assertFalse(
          Arrays.equals(
              Files.readAllBytes(root.resolve(f)), Files.readAllBytes(tmp.resolve("y").resolve(f))),
          f);
    }
  }

  @Test
  void filesHaveTheDocumentedHeaders() throws IOException {
    for (String bank : summary.bankIds()) {
      for (BankFile f : BankFile.values()) {
        assertEquals(f.columns(), Table.header(root.resolve(bank).resolve(f.fileName())));
      }
    }
    assertEquals(List.of("bank", "account_id", "is_mule"), Table.header(root.resolve("truth.csv")));
  }

  @Test
  void crossBankTransactionsAreIdenticalInBothBanksFiles() throws Exception {
    Map<String, Map<String, String>> byId = new HashMap<>();
    Map<String, Set<String>> filesById = new HashMap<>();
    for (String bank : summary.bankIds()) {
      for (Map<String, String> t : Table.read(root.resolve(bank).resolve("transactions.csv"))) {
        String id = t.get("txn_id");
        assertTrue(filesById.computeIfAbsent(id, k -> new HashSet<>()).add(bank), "dup " + id);
        Map<String, String> earlier = byId.putIfAbsent(id, t);
        if (earlier != null) {
          assertEquals(earlier, t, id);
        }
      }
    }
    long cross = 0;
    for (Map.Entry<String, Map<String, String>> e : byId.entrySet()) {
      Map<String, String> t = e.getValue();
      Set<String> expected = new HashSet<>(List.of(t.get("from_bank"), t.get("to_bank")));
      assertEquals(expected, filesById.get(e.getKey()), e.getKey());
      cross += expected.size() == 2 ? 1 : 0;
    }
    assertEquals(summary.transactions(), byId.size());
    assertEquals(summary.crossBankTransactions(), cross);
    double share = (double) cross / byId.size();
    assertTrue(share > 0.25 && share < 0.40, "cross-bank share " + share);
    assertEquals(5.0, (double) byId.size() / ACCOUNTS, 0.01);
  }

  @Test
  void everyReferenceResolvesAndEveryAccountIsInTruthOnce() throws Exception {
    Map<String, Set<String>> accounts = new HashMap<>();
    long customerRows = 0;
    for (String bank : summary.bankIds()) {
      Path dir = root.resolve(bank);
      Set<String> customers = new HashSet<>();
      for (Map<String, String> c : Table.read(dir.resolve("customers.csv"))) {
        assertTrue(customers.add(c.get("customer_id")), bank + " duplicate customer");
        customerRows++;
      }
      Set<String> own = new HashSet<>();
      for (Map<String, String> a : Table.read(dir.resolve("accounts.csv"))) {
        assertTrue(own.add(a.get("account_id")), bank + " duplicate account");
        assertTrue(customers.contains(a.get("customer_id")), bank + " " + a);
        assertTrue(LocalDate.parse(a.get("opened_on")).isBefore(SimpleGenerator.START));
      }
      accounts.put(bank, own);
      for (Map<String, String> d : Table.read(dir.resolve("devices.csv"))) {
        assertTrue(customers.contains(d.get("customer_id")), bank + " " + d);
      }
    }
    Instant start = SimpleGenerator.START.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
    Instant end = start.plusSeconds(SimpleGenerator.WINDOW_DAYS * 86_400L);
    for (String bank : summary.bankIds()) {
      for (Map<String, String> t : Table.read(root.resolve(bank).resolve("transactions.csv"))) {
        assertTrue(accounts.get(t.get("from_bank")).contains(t.get("from_account")), t.toString());
        assertTrue(accounts.get(t.get("to_bank")).contains(t.get("to_account")), t.toString());
        assertFalse(
            t.get("from_bank").equals(t.get("to_bank"))
                && t.get("from_account").equals(t.get("to_account")),
            "self transfer " + t);
        assertTrue(AMOUNT.matcher(t.get("amount")).matches(), t.toString());
        assertTrue(Double.parseDouble(t.get("amount")) > 0, t.toString());
        Instant ts = Instant.parse(t.get("ts"));
        assertTrue(!ts.isBefore(start) && ts.isBefore(end), t.toString());
      }
      for (Map<String, String> a : Table.read(root.resolve(bank).resolve("alerts.csv"))) {
        assertTrue(accounts.get(bank).contains(a.get("account_id")), bank + " " + a);
      }
    }
    Map<String, Set<String>> inTruth = new HashMap<>();
    for (Map<String, String> row : Table.read(root.resolve("truth.csv"))) {
      assertTrue(
          inTruth.computeIfAbsent(row.get("bank"), k -> new HashSet<>()).add(row.get("account_id")),
          "twice in truth " + row);
      assertTrue(Set.of("0", "1").contains(row.get("is_mule")));
    }
    assertEquals(accounts, inTruth);
    assertEquals(ACCOUNTS, accounts.values().stream().mapToInt(Set::size).sum());
    assertEquals(summary.customers(), customerRows);
  }

  @Test
  void bankSizesVaryButStayNearEven() throws Exception {
    Set<Integer> sizes = new TreeSet<>();
    for (String bank : summary.bankIds()) {
      int n = Table.read(root.resolve(bank).resolve("accounts.csv")).size();
      assertTrue(n >= ACCOUNTS / BANKS * 0.6 && n <= ACCOUNTS / BANKS * 1.4, bank + " " + n);
      sizes.add(n);
    }
    assertTrue(sizes.size() > 1, "all banks equal: " + sizes);
  }

  @Test
  void muleRingsAndFlagsAreConsistentWithTruth() throws Exception {
    Set<String> mules = new HashSet<>();
    for (Map<String, String> row : Table.read(root.resolve("truth.csv"))) {
      if (row.get("is_mule").equals("1")) {
        mules.add(row.get("bank") + "/" + row.get("account_id"));
      }
    }
    assertEquals(summary.mules(), mules.size());
    assertEquals(0.02, (double) mules.size() / ACCOUNTS, 0.005);
    int alerts = 0;
    int grey = 0;
    for (String bank : summary.bankIds()) {
      for (Map<String, String> a : Table.read(root.resolve(bank).resolve("alerts.csv"))) {
        boolean mule = mules.contains(bank + "/" + a.get("account_id"));
        switch (a.get("level")) {
          case "alert" -> {
            assertTrue(mule, "alert on a legitimate account " + a);
            alerts++;
          }
          case "grey" -> {
            assertFalse(mule, "grey on a mule " + a);
            grey++;
          }
          default -> throw new AssertionError(a.toString());
        }
        LocalDate day = LocalDate.parse(a.get("flagged_on"));
        assertFalse(day.isBefore(SimpleGenerator.START), a.toString());
      }
    }
    assertEquals(summary.alertAccounts(), alerts);
    assertEquals(summary.greyAccounts(), grey);
    assertEquals(1 / 3.0, (double) alerts / mules.size(), 0.08);
    assertTrue(grey >= 1);

    // Money moves between mules, and across banks.
    long muleToMuleCrossBank = 0;
    long victimToMule = 0;
    for (String bank : summary.bankIds()) {
      for (Map<String, String> t : Table.read(root.resolve(bank).resolve("transactions.csv"))) {
        boolean fromMule = mules.contains(t.get("from_bank") + "/" + t.get("from_account"));
        boolean toMule = mules.contains(t.get("to_bank") + "/" + t.get("to_account"));
        if (fromMule && toMule && !t.get("from_bank").equals(t.get("to_bank"))) {
          muleToMuleCrossBank++;
        }
        victimToMule += !fromMule && toMule ? 1 : 0;
      }
    }
    assertTrue(muleToMuleCrossBank > summary.rings(), "mule-to-mule: " + muleToMuleCrossBank);
    assertTrue(victimToMule > 2L * summary.rings(), "victim-to-mule: " + victimToMule);
  }

  @Test
  void somePeopleAreCustomersOfTwoBanksWithTheSameIdentity() throws Exception {
    Map<String, List<Map<String, String>>> byNationalId = new HashMap<>();
    long customers = 0;
    long international = 0;
    for (String bank : summary.bankIds()) {
      Set<String> ids = new HashSet<>();
      for (Map<String, String> c : Table.read(root.resolve(bank).resolve("customers.csv"))) {
        customers++;
        String id = c.get("national_id");
        assertTrue(Person.validNationalId(id), id);
        assertTrue(ids.add(id), "national id twice at " + bank);
        byNationalId.computeIfAbsent(id, k -> new ArrayList<>()).add(c);
        assertTrue(Set.of("F", "M", "X").contains(c.get("gender")));
        assertTrue(Set.of("TW", "VN", "ID", "PH", "TH").contains(c.get("nationality")));
        LocalDate.parse(c.get("birth_date"));
        String phone = c.get("phone");
        assertTrue(phone.isEmpty() || PHONE.matcher(phone).matches(), phone);
        international += phone.startsWith("+886") ? 1 : 0;
      }
    }
    long twoBanks = 0;
    for (List<Map<String, String>> same : byNationalId.values()) {
      assertTrue(same.size() <= 2);
      if (same.size() == 2) {
        twoBanks++;
        Map<String, String> x = same.get(0);
        Map<String, String> y = same.get(1);
        assertEquals(x.get("email"), y.get("email"));
        assertEquals(normalisePhone(x.get("phone")), normalisePhone(y.get("phone")));
        assertEquals(x.get("birth_date"), y.get("birth_date"));
      }
    }
    assertEquals(summary.people(), byNationalId.size());
    assertEquals(summary.customers(), customers);
    assertEquals(0.05, (double) twoBanks / byNationalId.size(), 0.015);
    assertEquals(0.15, (double) international / customers, 0.03);
  }

  @Test
  void bankFolderCountsEveryTransactionOnce() throws Exception {
    Set<String> all = Set.copyOf(summary.bankIds());
    long sent = 0;
    long accounts = 0;
    long alerts = 0;
    long grey = 0;
    for (String bank : summary.bankIds()) {
      BankCounts c = BankFolder.load(root.resolve(bank), bank, all);
      sent += c.transactionsSent();
      accounts += c.accounts();
      alerts += c.alertAccounts();
      grey += c.greyAccounts();
    }
    assertEquals(distinctTxnIds(summary.bankIds()), sent);
    assertEquals(summary.transactions(), sent);
    assertEquals(ACCOUNTS, accounts);
    assertEquals(summary.alertAccounts(), alerts);
    assertEquals(summary.greyAccounts(), grey);

    // With only some banks taking part, transfers from the others are counted by the receiver.
    List<String> some = List.of("bank-a", "bank-c");
    long someSent = 0;
    for (String bank : some) {
      someSent += BankFolder.load(root.resolve(bank), bank, Set.copyOf(some)).transactionsSent();
    }
    assertEquals(distinctTxnIds(some), someSent);
  }

  @Test
  void argumentsAreValidated() throws IOException {
    assertMessage("banks must be between 2 and 26, got 1", () -> generate(1, 100));
    assertMessage("banks must be between 2 and 26, got 27", () -> generate(27, 1000));
    assertMessage(
        "accountsTotal must be at least 10 per bank (30 for 3 banks), got 29",
        () -> generate(3, 29));
    assertMessage(
        "accountsTotal must be at most 10000000, got 10000001", () -> generate(2, 10_000_001));
    generate(2, 20); // the smallest dataset works
  }

  @Test
  void regeneratingReplacesAPreviousDatasetEntirely() throws IOException {
    Path out = tmp.resolve("again");
    SimpleGenerator.generate(out, 5, 200, 1);
    SimpleGenerator.generate(out, 3, 100, 2);
    Path fresh = tmp.resolve("fresh");
    SimpleGenerator.generate(fresh, 3, 100, 2);
    List<Path> files = files(fresh);
    assertEquals(relative(fresh, files), relative(out, files(out)));
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f), Files.readAllBytes(out.resolve(fresh.relativize(f))));
    }
  }

  @Test
  void refusesToOverwriteAnythingElse() throws IOException {
    Path used = Files.createDirectories(tmp.resolve("used"));
    Files.writeString(used.resolve("notes.txt"), "keep me");
    assertMessage(
        "out must be empty or hold a generated dataset; refusing to overwrite it because of "
            + used.resolve("notes.txt"),
        () -> SimpleGenerator.generate(used, 2, 100, 1));

    Path dataset = tmp.resolve("dataset");
    SimpleGenerator.generate(dataset, 2, 100, 1);
    Path extra = dataset.resolve("bank-b").resolve("extra.csv");
    Files.writeString(extra, "keep me");
    assertMessage(
        "out must be empty or hold a generated dataset; refusing to overwrite it because of "
            + extra,
        () -> SimpleGenerator.generate(dataset, 2, 100, 1));
    assertTrue(Files.exists(dataset.resolve("bank-a").resolve("accounts.csv")), "nothing deleted");

    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertMessage(
        "out must be a directory: " + file, () -> SimpleGenerator.generate(file, 2, 100, 1));
  }

  private void generate(int banks, int accounts) throws IOException {
    SimpleGenerator.generate(tmp.resolve("g" + banks + "-" + accounts), banks, accounts, 1);
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  private static long distinctTxnIds(List<String> banks) throws Exception {
    Set<String> ids = new HashSet<>();
    for (String bank : banks) {
      for (Map<String, String> t : Table.read(root.resolve(bank).resolve("transactions.csv"))) {
        ids.add(t.get("txn_id"));
      }
    }
    return ids.size();
  }

  private static String normalisePhone(String phone) {
    String digits = phone.replaceAll("[^0-9]", "");
    return digits.startsWith("886") ? "0" + digits.substring(3) : digits;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static List<Path> relative(Path dir, List<Path> files) {
    return files.stream().map(dir::relativize).toList();
  }
}
