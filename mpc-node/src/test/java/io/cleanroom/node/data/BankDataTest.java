package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankDataTest {
  private static final double EPS = 1e-9;

  @TempDir Path root;
  private BankData data;

  @BeforeEach
  void load() throws Exception {
    data = BankData.load(Fixture.writeValid(root.resolve("bank-a")), "bank-a");
  }

  @Test
  void accountsAreIndexedInFileOrder() {
    assertEquals("bank-a", data.bankId());
    assertEquals(4, data.accountCount());
    assertEquals(List.of("A1", "A2", "A3", "A4"), accountIds(data));
    assertEquals(2, data.indexOf("A3"));
    assertEquals(-1, data.indexOf("B1"));
    assertEquals(-1, data.indexOf(" A3"));
    assertEquals(day("2023-06-30"), data.openedOn(3));
    assertArrayEquals(
        new int[] {0, 0, 1, 2},
        new int[] {data.customerOf(0), data.customerOf(1), data.customerOf(2), data.customerOf(3)});
  }

  @Test
  void customersAreNormalised() {
    Customers c = data.customers();
    assertEquals(3, c.count());
    assertEquals("C1", c.customerId(0));
    assertEquals(1, c.indexOf("C2"));
    assertEquals("A123456789", c.nationalId(0));
    assertEquals("foo@example.com", c.email(0));
    assertEquals("0912345678", c.phone(0));
    assertEquals("0223456789", c.phone(2));
    assertNull(c.email(1));
    assertNull(c.phone(1));
    assertNull(c.region(1));
    assertEquals("臺北市", c.region(0));
    assertEquals(day("1980-01-02"), c.birthDate(0));
    assertEquals(
        List.of(Gender.F, Gender.M, Gender.X), List.of(c.gender(0), c.gender(1), c.gender(2)));
    assertEquals(
        List.of("TW", "VN", "US"), List.of(c.nationality(0), c.nationality(1), c.nationality(2)));
  }

  @Test
  void devicesAreTrimmedDistinctAndInFileOrder() {
    Customers c = data.customers();
    assertEquals(List.of("dev-1", "dev-2"), c.devices(0));
    assertEquals(List.of("dev-2"), c.devices(1));
    assertEquals(List.of(), c.devices(2));
    assertThrows(UnsupportedOperationException.class, () -> c.devices(0).set(0, "x"));
  }

  @Test
  void devicesFileIsOptional() throws Exception {
    Path dir = Fixture.writeValid(root.resolve("bank-x"));
    Files.delete(dir.resolve("devices.csv"));
    BankData noDevices = BankData.load(dir, "bank-a");
    assertEquals(List.of(), noDevices.customers().devices(0));
  }

  @Test
  void alertLevels() {
    assertEquals(AlertLevel.ALERT, data.alertLevel(0));
    assertEquals(AlertLevel.GREY, data.alertLevel(1));
    assertEquals(AlertLevel.NONE, data.alertLevel(2));
    assertEquals(day("2026-01-05"), data.flaggedOn(0));
    assertEquals(BankData.NO_DAY, data.flaggedOn(2));
    assertEquals(1, data.accountsAt(AlertLevel.ALERT));
    assertEquals(1, data.accountsAt(AlertLevel.GREY));
    assertEquals(2, data.accountsAt(AlertLevel.NONE));
  }

  @Test
  void intraBankFlowsAreSummedPerOrderedPairAndSorted() {
    Flows f = data.flows();
    assertEquals(3, f.size());
    // A1->A2 twice (T1, T2), A2->A3 (T3), and the self-transfer A3->A3 (T9).
    assertArrayEquals(new int[] {0, 1, 2}, new int[] {f.src(0), f.src(1), f.src(2)});
    assertArrayEquals(new int[] {1, 2, 2}, new int[] {f.dst(0), f.dst(1), f.dst(2)});
    assertArrayEquals(
        new double[] {15.5, 7, 2}, new double[] {f.amount(0), f.amount(1), f.amount(2)}, EPS);
    assertArrayEquals(
        new int[] {2, 1, 1}, new int[] {f.transfers(0), f.transfers(1), f.transfers(2)});
  }

  @Test
  void crossBankFlowsAreSplitByDirection() {
    CrossBankFlows out = data.outgoing();
    assertFalse(out.incoming());
    assertEquals(2, out.size());
    assertEquals(List.of("0 bank-b B1 21.25 2", "0 bank-c B1 3.0 1"), edges(out));
    CrossBankFlows in = data.incoming();
    assertTrue(in.incoming());
    assertEquals(List.of("2 bank-b B1 30.0 1", "2 ext-1 X9 40.0 1"), edges(in));
  }

  @Test
  void activityTotals() {
    Activity a = data.activity();
    // A1 sent T1, T2, T4, T5, T6.
    assertEquals(5, a.outgoingCount(0));
    assertEquals(39.75, a.outgoingSum(0), EPS);
    assertEquals(0, a.incomingCount(0));
    assertEquals(3, a.crossBankOutgoingCount(0));
    assertEquals(24.25, a.crossBankOutgoingSum(0), EPS);
    assertEquals(3, a.outgoingCounterparties(0));
    assertEquals(0, a.incomingCounterparties(0));
    // T1 at midnight UTC and T2 at 08:00 Taipei (+08:00) are the same instant.
    assertEquals(epoch("2026-01-01T00:00:00Z"), a.firstSeen(0));
    assertEquals(epoch("2026-01-04T00:00:00Z"), a.lastSeen(0));
    // A2: T3 at local midnight in Taipei is 16:00 UTC the day before.
    assertEquals(epoch("2026-01-01T16:00:00Z"), a.lastSeen(1));
    // A3 received T3, T7, T8 and its own T9; sent T9.
    assertEquals(4, a.incomingCount(2));
    assertEquals(79, a.incomingSum(2), EPS);
    assertEquals(1, a.outgoingCount(2));
    assertEquals(2, a.crossBankIncomingCount(2));
    assertEquals(70, a.crossBankIncomingSum(2), EPS);
    assertEquals(0, a.crossBankOutgoingSum(2), EPS);
    assertEquals(4, a.incomingCounterparties(2));
    assertEquals(1, a.outgoingCounterparties(2));
    // Fractions of a second are dropped.
    assertEquals(epoch("2026-01-07T00:00:00Z"), a.lastSeen(2));
    // A4 has no transactions.
    assertEquals(0, a.incomingCount(3) + a.outgoingCount(3));
    assertEquals(Activity.NO_TIME, a.firstSeen(3));
    assertEquals(Activity.NO_TIME, a.lastSeen(3));
  }

  @Test
  void transactionCountsFollowTheCrossBankRule() {
    assertEquals(9, data.transactionCount());
    // Sent: T1-T6 and T9; T8 comes from a non-participant, T7 from bank-b.
    assertEquals(8, data.transactionsSent(Set.of("bank-a", "bank-b")));
    assertEquals(9, data.transactionsSent(Set.of("bank-a")));
    assertEquals(8, data.transactionsSent(Set.of("bank-a", "bank-b", "bank-c")));
  }

  @Test
  void loadingTwiceGivesIdenticalResults() throws Exception {
    BankData again = BankData.load(root.resolve("bank-a"), "bank-a");
    assertEquals(describe(data), describe(again));
    assertEquals(data.digest(), again.digest());
  }

  @Test
  void bankIdIsChecked() {
    assertThrows(IllegalArgumentException.class, () -> BankData.load(root, "Bank-A"));
  }

  @Test
  void loadsAModeratelyLargeGeneratedFolder() throws Exception {
    Path dir = root.resolve("bank-big");
    Generated g = Generated.write(dir, 20_000, 200_000, 42);
    BankData big = BankData.load(dir, "bank-big");
    assertEquals(20_000, big.accountCount());
    assertEquals(200_000, big.transactionCount());
    assertEquals(g.sent, big.transactionsSent(Set.of("bank-big", "bank-o")));
    long transfers = 0;
    double total = 0;
    for (int e = 0; e < big.flows().size(); e++) {
      transfers += big.flows().transfers(e);
      total += big.flows().amount(e);
    }
    for (CrossBankFlows c : List.of(big.incoming(), big.outgoing())) {
      for (int e = 0; e < c.size(); e++) {
        transfers += c.transfers(e);
        total += c.amount(e);
      }
    }
    assertEquals(200_000, transfers);
    assertEquals(g.cents / 100.0, total, 1e-3);
    long out = 0;
    for (int a = 0; a < big.accountCount(); a++) {
      out += big.activity().outgoingCount(a);
    }
    assertEquals(g.sent, out);
    assertEquals(describe(big), describe(BankData.load(dir, "bank-big")));
  }

  /** A deterministic folder of one bank trading with itself and with bank-o. */
  private static final class Generated {
    long sent;
    long cents;

    static Generated write(Path dir, int accounts, int transactions, long seed) throws IOException {
      Files.createDirectories(dir);
      Generated g = new Generated();
      SplittableRandom rng = new SplittableRandom(seed);
      try (BufferedWriter c = Files.newBufferedWriter(dir.resolve("customers.csv"));
          BufferedWriter a = Files.newBufferedWriter(dir.resolve("accounts.csv"));
          BufferedWriter t = Files.newBufferedWriter(dir.resolve("transactions.csv"));
          BufferedWriter f = Files.newBufferedWriter(dir.resolve("alerts.csv"))) {
        c.write("customer_id,national_id,email,phone,birth_date,gender,nationality,region\n");
        a.write("account_id,customer_id,opened_on\n");
        for (int i = 0; i < accounts; i++) {
          c.write("C" + i + ",N" + i + ",,,1980-01-01,F,TW,\n");
          a.write(i + ",C" + i + ",2020-01-01\n");
        }
        t.write(Fixture.TXN_HEADER);
        for (int i = 0; i < transactions; i++) {
          boolean outside = rng.nextInt(10) < 3;
          boolean incoming = outside && rng.nextBoolean();
          String from =
              incoming ? "bank-o," + rng.nextInt(accounts) : "bank-big," + rng.nextInt(accounts);
          String to =
              outside && !incoming
                  ? "bank-o," + rng.nextInt(accounts)
                  : "bank-big," + rng.nextInt(accounts);
          long amount = 1 + rng.nextInt(1_000_000);
          g.cents += amount;
          g.sent += incoming ? 0 : 1;
          t.write(
              "T"
                  + i
                  + ",2017-01-01T00:00:00Z,"
                  + from
                  + ","
                  + to
                  + ","
                  + amount / 100
                  + "."
                  + String.format("%02d", amount % 100)
                  + "\n");
        }
        f.write("account_id,level,flagged_on\n1,alert,2017-02-01\n");
      }
      return g;
    }
  }

  static String describe(BankData d) {
    StringBuilder sb = new StringBuilder();
    for (int a = 0; a < d.accountCount(); a++) {
      Activity x = d.activity();
      sb.append(d.accountId(a)).append(' ').append(d.customerOf(a)).append(' ');
      sb.append(d.openedOn(a)).append(' ').append(d.alertLevel(a)).append(' ');
      sb.append(x.incomingCount(a)).append(' ').append(x.incomingSum(a)).append(' ');
      sb.append(x.outgoingCount(a)).append(' ').append(x.outgoingSum(a)).append(' ');
      sb.append(x.crossBankIncomingSum(a)).append(' ').append(x.crossBankOutgoingSum(a));
      sb.append(' ').append(x.firstSeen(a)).append(' ').append(x.lastSeen(a)).append(' ');
      sb.append(x.incomingCounterparties(a)).append(' ').append(x.outgoingCounterparties(a));
      sb.append('\n');
    }
    Flows f = d.flows();
    for (int e = 0; e < f.size(); e++) {
      sb.append(f.src(e)).append('>').append(f.dst(e)).append(' ').append(f.amount(e));
      sb.append(' ').append(f.transfers(e)).append('\n');
    }
    sb.append(edges(d.incoming())).append(edges(d.outgoing()));
    Customers c = d.customers();
    for (int i = 0; i < c.count(); i++) {
      sb.append(c.customerId(i)).append(c.nationalId(i)).append(c.email(i)).append(c.phone(i));
      sb.append(c.devices(i)).append(c.birthDate(i)).append(c.gender(i));
      sb.append(c.nationality(i)).append(c.region(i)).append('\n');
    }
    return sb.append(d.transactionCount()).append(d.digest()).toString();
  }

  private static List<String> edges(CrossBankFlows c) {
    List<String> out = new ArrayList<>();
    for (int e = 0; e < c.size(); e++) {
      out.add(
          c.account(e)
              + " "
              + c.foreignBank(e)
              + " "
              + c.foreignAccount(e)
              + " "
              + c.amount(e)
              + " "
              + c.transfers(e));
    }
    return out;
  }

  private static List<String> accountIds(BankData d) {
    List<String> ids = new ArrayList<>();
    for (int a = 0; a < d.accountCount(); a++) {
      ids.add(d.accountId(a));
    }
    return ids;
  }

  private static int day(String date) {
    return (int) LocalDate.parse(date).toEpochDay();
  }

  private static long epoch(String instant) {
    return Instant.parse(instant).getEpochSecond();
  }
}
