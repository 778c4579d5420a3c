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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated files: format, consistency, determinism, and the ordinary economy's shape. */
class GeneratorTest {
  private static final int BANKS = 4;
  private static final int ACCOUNTS = 8_000;
  private static final long SEED = 20260101L;
  private static final Pattern AMOUNT = Pattern.compile("[1-9][0-9]*\\.00");
  private static final Pattern PLAIN_PHONE = Pattern.compile("09[0-9]{8}");
  private static final Pattern INTERNATIONAL_PHONE =
      Pattern.compile("\\+886 9[0-9]{2} [0-9]{3} [0-9]{3}");
  private static final Pattern DASHED_PHONE = Pattern.compile("09[0-9]{2}-[0-9]{3}-[0-9]{3}");
  private static final Pattern EMAIL = Pattern.compile("[a-z]+\\.[0-9]{8}@example\\.(com|net|org)");
  private static final Instant START = Generator.START.atStartOfDay().toInstant(ZoneOffset.UTC);
  private static final Instant END = START.plusSeconds(Generator.WINDOW_DAYS * 86_400L);

  @TempDir static Path shared;
  private static Path root;
  private static DatasetSummary summary;
  private static Dataset data;

  @TempDir Path tmp;

  @BeforeAll
  static void generateOnce() throws Exception {
    root = shared.resolve("ds");
    summary = Generator.generate(root, GeneratorOptions.of(BANKS, ACCOUNTS, SEED));
    data = Dataset.read(root, summary.bankIds());
  }

  @Test
  void sameOptions_giveIdenticalBytes_alsoThroughSimpleGenerator() throws IOException {
    Path again = tmp.resolve("again");
    SimpleGenerator.generate(again, BANKS, ACCOUNTS, SEED);
    List<Path> files = files(root);
    assertEquals(relative(root, files), relative(again, files(again)));
    assertEquals(1 + BANKS * BankFile.values().length, files.size());
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f),
          Files.readAllBytes(again.resolve(root.relativize(f))),
          f.toString());
    }
  }

  /**
   * Datasets never change unnoticed: other tests, and figures in the README, depend on their bytes.
   * The digests are those of {@link #digest} over the files written by the generator at commit
   * 6f1a7ac, before the ordinaryAgeMules and overlappingFraudAmounts options existed; with those
   * options off, the same options must still give the same bytes.
   */
  @Test
  void defaultOptions_giveTheBytesTheyGaveBefore() throws Exception {
    assertEquals("af4fac7816207c8f0a881acf4ebfab7592ec98f43678160a33c9a7e8ec00a098", digest(root));
  }

  /**
   * As {@link #defaultOptions_giveTheBytesTheyGaveBefore}, with the fraction and bias knobs that
   * existed then all changed.
   */
  @Test
  void olderKnobs_giveTheBytesTheyGaveBefore() throws Exception {
    Path out = tmp.resolve("knobs");
    Generator.generate(
        out,
        GeneratorOptions.of(3, 3000, 5)
            .withMuleFraction(0.05)
            .withAlertFraction(0.6)
            .withGreyFraction(0.01)
            .withRecruitmentBias("age:<25=3"));
    assertEquals("0643118c6bff0ef7f46731490f4404de395c0015af30cfa0a8666d329064b9b4", digest(out));
  }

  @Test
  void differentSeed_givesDifferentData() throws IOException {
    Path other = tmp.resolve("other");
    Generator.generate(other, GeneratorOptions.of(BANKS, ACCOUNTS, SEED + 1));
    for (String f : List.of("truth.csv", "bank-a/customers.csv", "bank-a/transactions.csv")) {
      assertFalse(
          Arrays.equals(Files.readAllBytes(root.resolve(f)), Files.readAllBytes(other.resolve(f))),
          f);
    }
  }

  @Test
  void files_haveTheDocumentedHeaders() throws IOException {
    for (String bank : summary.bankIds()) {
      for (BankFile f : BankFile.values()) {
        assertEquals(f.columns(), Table.header(root.resolve(bank).resolve(f.fileName())));
      }
    }
    assertEquals(List.of("bank", "account_id", "is_mule"), Table.header(root.resolve("truth.csv")));
  }

  @Test
  void crossBankTransfers_appearIdenticallyInBothBanksFiles() throws Exception {
    Map<String, Set<String>> filesById = new HashMap<>();
    for (String bank : summary.bankIds()) {
      for (Map<String, String> t : Table.read(root.resolve(bank).resolve("transactions.csv"))) {
        String id = t.get("txn_id");
        assertTrue(filesById.computeIfAbsent(id, k -> new HashSet<>()).add(bank), "dup " + id);
        assertEquals(data.transactions.get(id), t, id);
      }
    }
    long cross = 0;
    for (Map<String, String> t : data.transactions.values()) {
      Set<String> expected = new HashSet<>(List.of(t.get("from_bank"), t.get("to_bank")));
      assertEquals(expected, filesById.get(t.get("txn_id")), t.toString());
      cross += expected.size() == 2 ? 1 : 0;
    }
    assertEquals(summary.transactions(), data.transactions.size());
    assertEquals(summary.crossBankTransactions(), cross);
    double share = (double) cross / data.transactions.size();
    assertTrue(share > 0.25 && share < 0.45, "cross-bank share " + share);
    double perAccount = (double) data.transactions.size() / ACCOUNTS;
    assertTrue(perAccount > 5 && perAccount < 10, "transfers per account " + perAccount);
  }

  @Test
  void everyReference_resolves_andNoAccountIsUsedBeforeItOpens() throws Exception {
    Set<String> customerIds = new HashSet<>();
    for (Map.Entry<String, Map<String, String>> a : data.accounts.entrySet()) {
      String customer = Dataset.key(Dataset.bankOf(a.getKey()), a.getValue().get("customer_id"));
      assertTrue(data.customers.containsKey(customer), a.toString());
      customerIds.add(customer);
      LocalDate opened = LocalDate.parse(a.getValue().get("opened_on"));
      assertTrue(opened.isBefore(Generator.START.plusDays(Generator.WINDOW_DAYS)), a.toString());
    }
    assertEquals(data.customers.keySet(), customerIds, "every customer holds an account");
    assertTrue(data.customers.keySet().containsAll(data.devices.keySet()));
    assertTrue(data.accounts.keySet().containsAll(data.alerts.keySet()));
    // ISO dates and UTC timestamps compare as text.
    String start = START.toString();
    String end = END.toString();
    for (Map<String, String> t : data.transactions.values()) {
      String from = Dataset.from(t);
      String to = Dataset.to(t);
      assertTrue(data.accounts.containsKey(from) && data.accounts.containsKey(to), t.toString());
      assertFalse(from.equals(to), "self transfer " + t);
      assertTrue(AMOUNT.matcher(t.get("amount")).matches(), "whole TWD " + t);
      String ts = t.get("ts");
      assertTrue(ts.compareTo(start) >= 0 && ts.compareTo(end) < 0, t.toString());
      String day = ts.substring(0, 10);
      for (String account : List.of(from, to)) {
        String opened = data.accounts.get(account).get("opened_on");
        assertTrue(day.compareTo(opened) >= 0, "used before opened: " + t);
      }
    }
    Set<String> inTruth = new HashSet<>();
    for (Map<String, String> row : Table.read(root.resolve("truth.csv"))) {
      assertTrue(inTruth.add(Dataset.key(row.get("bank"), row.get("account_id"))), row.toString());
      assertTrue(Set.of("0", "1").contains(row.get("is_mule")));
    }
    assertEquals(data.accounts.keySet(), inTruth);
    assertEquals(ACCOUNTS, data.accounts.size());
    assertEquals(summary.customers(), data.customers.size());
  }

  @Test
  void transactions_areInTimeOrder_withIdsCountingUp() throws Exception {
    for (String bank : summary.bankIds()) {
      String previousId = "";
      String previousTs = "";
      for (Map<String, String> t : Table.read(root.resolve(bank).resolve("transactions.csv"))) {
        assertTrue(t.get("txn_id").compareTo(previousId) > 0, t.toString());
        assertTrue(t.get("ts").compareTo(previousTs) >= 0, t.toString());
        previousId = t.get("txn_id");
        previousTs = t.get("ts");
      }
    }
  }

  @Test
  void banks_areUneven_andAccountsDealMostlyWithTheirOwnBank() {
    Map<String, Integer> size = new HashMap<>();
    for (String account : data.accounts.keySet()) {
      size.merge(Dataset.bankOf(account), 1, Integer::sum);
    }
    int max = Collections.max(size.values());
    int min = Collections.min(size.values());
    assertTrue(max >= 1.5 * min, "bank sizes " + size);

    Map<String, int[]> sent = new HashMap<>(); // bank -> {all, kept at home}
    Map<String, Map<String, Integer>> partnerBanks = new HashMap<>();
    for (Map<String, String> t : data.transactions.values()) {
      int[] s = sent.computeIfAbsent(t.get("from_bank"), k -> new int[2]);
      s[0]++;
      s[1] += t.get("from_bank").equals(t.get("to_bank")) ? 1 : 0;
      partnerBanks
          .computeIfAbsent(Dataset.from(t), k -> new HashMap<>())
          .merge(t.get("to_bank"), 1, Integer::sum);
    }
    for (String bank : summary.bankIds()) {
      double home = (double) sent.get(bank)[1] / sent.get(bank)[0];
      double sizeShare = (double) size.get(bank) / ACCOUNTS;
      assertTrue(home > sizeShare + 0.15, bank + " keeps " + home + ", size share " + sizeShare);
    }
    // An account deals with few banks: its busiest bank takes most of what it sends.
    double concentration = 0;
    int busy = 0;
    for (Map<String, Integer> banks : partnerBanks.values()) {
      int all = banks.values().stream().mapToInt(Integer::intValue).sum();
      if (all >= 5) {
        concentration += (double) Collections.max(banks.values()) / all;
        busy++;
      }
    }
    assertTrue(busy > 100);
    assertTrue(concentration / busy > 0.6, "concentration " + concentration / busy);
  }

  @Test
  void ordinaryPayments_haveSalariesShopsAndDormantAccounts() {
    // A salary: the same payer, the same amount, once in each of the window's three months.
    Map<String, Set<Integer>> monthsPaid = new HashMap<>();
    List<Long> amounts = new ArrayList<>();
    Map<String, Set<String>> payers = new HashMap<>();
    Set<String> senders = new HashSet<>();
    for (Map<String, String> t : data.transactions.values()) {
      String pair = Dataset.from(t) + ">" + Dataset.to(t) + "=" + t.get("amount");
      monthsPaid.computeIfAbsent(pair, k -> new HashSet<>()).add(month(t));
      amounts.add(Math.round(Double.parseDouble(t.get("amount"))));
      payers.computeIfAbsent(Dataset.to(t), k -> new HashSet<>()).add(Dataset.from(t));
      senders.add(Dataset.from(t));
    }
    Set<String> monthly = new HashSet<>();
    Map<String, Integer> payeesOfPayer = new HashMap<>();
    for (Map.Entry<String, Set<Integer>> e : monthsPaid.entrySet()) {
      if (e.getValue().size() == 3) {
        String pair = e.getKey();
        monthly.add(pair.substring(pair.indexOf('>') + 1, pair.indexOf('=')));
        payeesOfPayer.merge(pair.substring(0, pair.indexOf('>')), 1, Integer::sum);
      }
    }
    double monthlyShare = (double) monthly.size() / ACCOUNTS;
    assertTrue(monthlyShare > 0.4 && monthlyShare < 0.8, "paid monthly " + monthlyShare);
    int biggestEmployer = Collections.max(payeesOfPayer.values());
    assertTrue(biggestEmployer >= 50, "largest monthly payer pays " + biggestEmployer);
    int busiestShop = payers.values().stream().mapToInt(Set::size).max().orElse(0);
    assertTrue(busiestShop >= 100, "busiest payee has " + busiestShop + " payers");
    Collections.sort(amounts);
    long median = amounts.get(amounts.size() / 2);
    assertTrue(median >= 300 && median <= 5_000, "median amount " + median);
    double dormant = 1 - (double) senders.size() / ACCOUNTS;
    assertTrue(dormant > 0.05 && dormant < 0.4, "accounts never paying " + dormant);
  }

  @Test
  void somePeople_bankAtSeveralBanks_withTheSameIdentity() {
    Map<String, List<Map<String, String>>> byNationalId = new HashMap<>();
    Set<String> muleCustomers = new HashSet<>();
    for (String mule : data.mules) {
      muleCustomers.add(
          Dataset.key(Dataset.bankOf(mule), data.accounts.get(mule).get("customer_id")));
    }
    for (Map.Entry<String, Map<String, String>> e : data.customers.entrySet()) {
      Map<String, String> c = e.getValue();
      assertTrue(Person.validNationalId(c.get("national_id")), c.toString());
      if (!muleCustomers.contains(e.getKey())) {
        byNationalId.computeIfAbsent(c.get("national_id"), k -> new ArrayList<>()).add(c);
      }
    }
    int several = 0;
    int three = 0;
    for (List<Map<String, String>> same : byNationalId.values()) {
      if (same.size() >= 2) {
        several++;
        three += same.size() == 3 ? 1 : 0;
        Map<String, String> x = same.get(0);
        for (Map<String, String> y : same) {
          assertEquals(x.get("email").toLowerCase(), y.get("email").toLowerCase());
          assertEquals(
              Dataset.normalisePhone(x.get("phone")), Dataset.normalisePhone(y.get("phone")));
          assertEquals(x.get("birth_date"), y.get("birth_date"));
        }
      }
    }
    double share = (double) several / byNationalId.size();
    assertEquals(0.06, share, 0.015, "people at several banks");
    assertTrue(three > 0, "nobody at three banks");
    assertEquals(summary.people(), distinctNationalIds());
  }

  @Test
  void identifiers_areWrittenInSeveralStyles_thatNormaliseAlike() {
    Map<String, Integer> phoneStyles = new HashMap<>();
    int mixedCaseEmails = 0;
    for (Map<String, String> c : data.customers.values()) {
      String phone = c.get("phone");
      String style =
          phone.isEmpty()
              ? "empty"
              : PLAIN_PHONE.matcher(phone).matches()
                  ? "plain"
                  : INTERNATIONAL_PHONE.matcher(phone).matches()
                      ? "+886"
                      : DASHED_PHONE.matcher(phone).matches() ? "dashed" : "bad: " + phone;
      phoneStyles.merge(style, 1, Integer::sum);
      String email = c.get("email");
      assertTrue(email.isEmpty() || EMAIL.matcher(email.toLowerCase()).matches(), email);
      mixedCaseEmails += email.equals(email.toLowerCase()) ? 0 : 1;
    }
    assertEquals(
        Set.of("empty", "plain", "+886", "dashed"), phoneStyles.keySet(), phoneStyles.toString());
    for (String style : List.of("plain", "+886", "dashed")) {
      assertTrue(phoneStyles.get(style) > data.customers.size() / 20, phoneStyles.toString());
    }
    assertTrue(
        mixedCaseEmails > data.customers.size() / 20, "mixed-case e-mails " + mixedCaseEmails);
  }

  @Test
  void bankFolder_countsEveryTransactionOnce() throws Exception {
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
    assertEquals(summary.transactions(), sent);
    assertEquals(ACCOUNTS, accounts);
    assertEquals(summary.alertAccounts(), alerts);
    assertEquals(summary.greyAccounts(), grey);
  }

  @Test
  void badOptions_areRefusedWithTheirReason() {
    assertMessage("banks must be between 2 and 26, got 1", () -> GeneratorOptions.of(1, 100, 1));
    assertMessage("banks must be between 2 and 26, got 27", () -> GeneratorOptions.of(27, 1000, 1));
    assertMessage(
        "accounts must be at least 10 per bank (30 for 3 banks), got 29",
        () -> SimpleGenerator.generate(tmp.resolve("x"), 3, 29, 1));
    assertMessage(
        "accounts must be at most 10000000, got 10000001",
        () -> GeneratorOptions.of(2, 10_000_001, 1));
    assertFalse(Files.exists(tmp.resolve("x")), "nothing written for bad options");
  }

  @Test
  void theSmallestDataset_works() throws IOException {
    DatasetSummary s = SimpleGenerator.generate(tmp.resolve("small"), 2, 20, 1);
    assertEquals(20, s.accounts());
    assertEquals(0, s.mules(), "2% of 20 accounts is no network");
  }

  @Test
  void regenerating_replacesAPreviousDatasetEntirely() throws IOException {
    Path out = tmp.resolve("again");
    SimpleGenerator.generate(out, 5, 500, 1);
    SimpleGenerator.generate(out, 3, 300, 2);
    Path fresh = tmp.resolve("fresh");
    SimpleGenerator.generate(fresh, 3, 300, 2);
    List<Path> files = files(fresh);
    assertEquals(relative(fresh, files), relative(out, files(out)));
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f), Files.readAllBytes(out.resolve(fresh.relativize(f))));
    }
  }

  @Test
  void anythingElseInTheFolder_isNeverOverwritten() throws IOException {
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

  private static int month(Map<String, String> t) {
    return Integer.parseInt(t.get("ts").substring(5, 7));
  }

  private static long distinctNationalIds() {
    return data.customers.values().stream().map(c -> c.get("national_id")).distinct().count();
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  /**
   * SHA-256 over the dataset's files in order of their paths relative to {@code dir}: for each, its
   * path with {@code /} separators, a 0 byte, its length in decimal, a 0 byte, and its bytes.
   */
  static String digest(Path dir) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Map<String, Path> byName = new TreeMap<>();
    for (Path f : files(dir)) {
      byName.put(dir.relativize(f).toString().replace('\\', '/'), f);
    }
    for (Map.Entry<String, Path> e : byName.entrySet()) {
      byte[] bytes = Files.readAllBytes(e.getValue());
      sha.update((e.getKey() + "\0" + bytes.length + "\0").getBytes(StandardCharsets.UTF_8));
      sha.update(bytes);
    }
    return HexFormat.of().formatHex(sha.digest());
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
