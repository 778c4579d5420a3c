package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankFolderTest {
  private static final Set<String> AB = Set.of("bank-a", "bank-b");

  @TempDir Path root;
  private Path a;
  private Path b;

  @BeforeEach
  void writeTwoBanks() throws IOException {
    a = Files.createDirectories(root.resolve("bank-a"));
    b = Files.createDirectories(root.resolve("bank-b"));
    // Columns shuffled, an extra column, quoting and CRLF: all must be accepted.
    write(
        a,
        "customers.csv",
        "national_id,customer_id,birth_date,gender,nationality,note\r\n"
            + "A123456789,C1,1980-01-02,F,TW,\"likes, commas\"\r\n"
            + "B123456789,C2,1990-03-04,M,VN,\r\n");
    write(
        a,
        "accounts.csv",
        "account_id,customer_id,opened_on\nA1,C1,2020-01-01\nA2,C1,2021-01-01\nA3,C2,2022-01-01\n");
    write(
        a,
        "transactions.csv",
        "ts,txn_id,from_bank,from_account,to_bank,to_account,amount\n"
            // sent within bank-a: counted
            + "2026-01-01T00:00:00Z,T1,bank-a,A1,bank-a,A2,10.00\n"
            // sent to bank-b: counted here, not at bank-b
            + "2026-01-01T00:00:01Z,T2,bank-a,A1,bank-b,B1,20.00\n"
            // received from participant bank-b: bank-b counts it
            + "2026-01-01T00:00:02Z,T3,bank-b,B1,bank-a,A3,30.00\n"
            // received from a non-participant: only bank-a can count it
            + "2026-01-01T00:00:03Z,T4,ext-1,X9,bank-a,A3,40.00\n"
            + "2026-01-01T00:00:04Z,T5,bank-a,A2,bank-a,A3,50.00\n");
    write(
        a,
        "alerts.csv",
        "account_id,level,flagged_on\n"
            + "A1,alert,2026-01-05\n"
            + "A2,grey,2026-01-07\n"
            + "A3,alert,2026-01-08\n");
    write(
        b,
        "customers.csv",
        "customer_id,national_id,birth_date,gender,nationality\nD1,Z123456789,1970-01-01,X,JP\n");
    write(b, "accounts.csv", "account_id,customer_id,opened_on\nB1,D1,2020-01-01\n");
    write(
        b,
        "transactions.csv",
        "txn_id,ts,from_bank,from_account,to_bank,to_account,amount\n"
            + "T2,2026-01-01T00:00:01Z,bank-a,A1,bank-b,B1,20.00\n"
            + "T3,2026-01-01T00:00:02Z,bank-b,B1,bank-a,A3,30.00\n"
            + "T6,2026-01-01T00:00:05Z,bank-b,B1,ext-2,Y1,60.00\n");
    write(b, "alerts.csv", "account_id,level,flagged_on\n");
  }

  @Test
  void countsFollowTheCrossBankRule() throws Exception {
    BankCounts ca = BankFolder.load(a, "bank-a", AB);
    assertEquals(3, ca.accounts());
    assertEquals(2, ca.customers());
    assertEquals(4, ca.transactionsSent()); // T1, T2, T4, T5
    assertEquals(2, ca.alertAccounts());
    assertEquals(1, ca.greyAccounts());

    BankCounts cb = BankFolder.load(b, "bank-b", AB);
    assertEquals(1, cb.accounts());
    assertEquals(1, cb.customers());
    assertEquals(2, cb.transactionsSent()); // T3, T6
    // T1..T6 are six distinct transfers, each counted exactly once.
    assertEquals(6, ca.transactionsSent() + cb.transactionsSent());
  }

  @Test
  void aBankAloneCountsWhatItReceivesFromNonParticipants() throws Exception {
    // With bank-b not participating, T3 from bank-b must be counted by bank-a.
    assertEquals(5, BankFolder.load(a, "bank-a", Set.of("bank-a")).transactionsSent());
  }

  @Test
  void digestIsTheSha256OfTheSha256sumManifest() throws Exception {
    StringBuilder manifest = new StringBuilder();
    for (String f :
        new String[] {"customers.csv", "accounts.csv", "transactions.csv", "alerts.csv"}) {
      manifest.append(sha256(Files.readAllBytes(a.resolve(f)))).append("  ").append(f).append('\n');
    }
    String expected = sha256(manifest.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(expected, BankFolder.load(a, "bank-a", AB).digest());
  }

  @Test
  void digestCoversEveryFileReadIncludingOptionalDevices() throws Exception {
    String before = BankFolder.load(a, "bank-a", AB).digest();
    assertEquals(before, BankFolder.load(a, "bank-a", AB).digest());
    write(a, "devices.csv", "customer_id,device_id\nC1,D-1\n");
    String withDevices = BankFolder.load(a, "bank-a", AB).digest();
    assertNotEquals(before, withDevices);
    write(a, "alerts.csv", "account_id,level,flagged_on\nA1,alert,2026-01-05\n");
    assertNotEquals(withDevices, BankFolder.load(a, "bank-a", AB).digest());
  }

  @Test
  void anInvalidFolderIsRefusedWhole() throws Exception {
    write(a, "alerts.csv", "account_id,level,flagged_on\nA1,alert,2026-01-05\nA9,red,x\n");
    assertError(
        "bank-a/alerts.csv line 3, field level: \"red\" is not alert or grey (and 2 more errors)");
  }

  @Test
  void argumentsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> BankFolder.load(a, "bank-c", AB));
    assertThrows(
        IllegalArgumentException.class, () -> BankFolder.load(a, "Bank-A", Set.of("Bank-A")));
  }

  @Test
  void countsAreImmutableValues() {
    assertThrows(
        IllegalArgumentException.class, () -> new BankCounts(-1, 0, 0, 0, 0, "0".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> new BankCounts(0, 0, 0, 0, 0, "xyz"));
  }

  private DataException assertError(String message) {
    DataException e = assertThrows(DataException.class, () -> BankFolder.load(a, "bank-a", AB));
    assertEquals(message, e.getMessage());
    return e;
  }

  private static void write(Path dir, String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
