package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule of the data format: each breaks a valid folder in one place. */
class BankDataValidationTest {
  private static final String CUSTOMER_HEADER =
      "customer_id,national_id,email,phone,birth_date,gender,nationality,region\n";
  private static final String C1 = "C1,A123456789,,,1980-01-02,F,TW,\n";
  private static final String ACCOUNT_HEADER = "account_id,customer_id,opened_on\n";
  private static final String ALERT_HEADER = "account_id,level,flagged_on\n";
  private static final String T1 = "T1,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,10.00\n";

  @TempDir Path root;

  // --- Files and structure ---

  @Test
  void missingFolder() {
    Path gone = root.resolve("bank-x");
    DataException e = assertThrows(DataException.class, () -> BankData.load(gone, "bank-a"));
    assertEquals("bank-a: data folder " + gone + " does not exist", e.getMessage());
  }

  @Test
  void missingRequiredFile() throws Exception {
    for (String f : List.of("customers.csv", "accounts.csv", "transactions.csv", "alerts.csv")) {
      Path dir = Fixture.writeValid(root.resolve("bank-a"));
      Files.delete(dir.resolve(f));
      DataException e = load(dir);
      assertEquals("bank-a/" + f + ": required file is missing", e.getMessage());
      assertEquals(0, e.line());
      assertEquals(Optional.empty(), e.field());
    }
  }

  @Test
  void everyMissingFileIsCounted() throws Exception {
    Path dir = Fixture.writeValid(root.resolve("bank-a"));
    Files.delete(dir.resolve("accounts.csv"));
    Files.delete(dir.resolve("alerts.csv"));
    DataException e = load(dir);
    assertEquals(
        "bank-a/accounts.csv: required file is missing (and 1 more error)", e.getMessage());
    assertEquals(
        List.of(
            "bank-a/accounts.csv: required file is missing",
            "bank-a/alerts.csv: required file is missing"),
        e.errors());
  }

  @Test
  void missingRequiredColumnIsReportedWithoutKnockOnErrors() throws Exception {
    // Without account ids nothing can be checked against accounts.csv; that is one error, not
    // one per transaction and alert.
    DataException e =
        refuse(
            "accounts.csv",
            "customer_id,opened_on\nC1,2020-01-01\n",
            "bank-a/accounts.csv line 1, field account_id: required column is missing");
    assertEquals(1, e.line());
    assertEquals(Optional.of("account_id"), e.field());
  }

  @Test
  void optionalColumnsMayBeAbsent() throws Exception {
    Path dir = Fixture.writeValid(root.resolve("bank-a"));
    Fixture.write(
        dir,
        "customers.csv",
        "customer_id,national_id,birth_date,gender,nationality\n"
            + "C1,A1,1980-01-02,F,TW\nC2,A2,1980-01-02,F,TW\nC3,A3,1980-01-02,F,TW\n");
    assertEquals(3, BankData.load(dir, "bank-a").customers().count());
  }

  @Test
  void duplicateColumn() throws Exception {
    refuse(
        "alerts.csv",
        "account_id,level,LEVEL,flagged_on\n",
        "bank-a/alerts.csv line 1, field level: column appears more than once");
  }

  @Test
  void emptyFile() throws Exception {
    refuse("alerts.csv", "", "bank-a/alerts.csv line 1: file is empty, expected a header row");
  }

  @Test
  void recordWithWrongNumberOfFields() throws Exception {
    refuse(
        "accounts.csv",
        Fixture.ACCOUNTS + "A5,C1\n",
        "bank-a/accounts.csv line 6: record has 2 fields but the header has 3");
  }

  @Test
  void malformedQuoting() throws Exception {
    refuse(
        "accounts.csv",
        ACCOUNT_HEADER + "\"A1,C1,2020-01-01\n",
        "bank-a/accounts.csv line 2: quoted field 1 is never closed");
  }

  @Test
  void invalidUtf8() throws Exception {
    Path dir = Fixture.writeValid(root.resolve("bank-a"));
    byte[] header = ALERT_HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bytes = java.util.Arrays.copyOf(header, header.length + 3);
    bytes[header.length] = 'A';
    bytes[header.length + 1] = (byte) 0xff;
    bytes[header.length + 2] = '\n';
    Files.write(dir.resolve("alerts.csv"), bytes);
    assertEquals(
        "bank-a/alerts.csv line 1: not valid UTF-8 (at or after this line)",
        load(dir).getMessage());
  }

  // --- customers.csv ---

  @Test
  void emptyCustomerId() throws Exception {
    refuse(
        "customers.csv",
        Fixture.CUSTOMERS + "D123456789, ,,,1980-01-02,F,TW,,\n",
        "bank-a/customers.csv line 5, field customer_id: value is empty");
  }

  @Test
  void emptyNationalIdDoesNotQuoteIt() throws Exception {
    refuse(
        "customers.csv",
        CUSTOMER_HEADER + C1 + "C2,\u3000,,,1980-01-02,F,TW,\n" + "C3,X,,,1980-01-02,F,TW,\n",
        "bank-a/customers.csv line 3, field national_id: value is empty");
  }

  @Test
  void duplicateCustomerId() throws Exception {
    refuse(
        "customers.csv",
        CUSTOMER_HEADER + C1 + "C2,B1,,,1980-01-02,F,TW,\nC3,C,,,1980-01-02,F,TW,\n" + C1,
        "bank-a/customers.csv line 5, field customer_id: duplicate customer_id, first on line 2");
  }

  @Test
  void birthDateIsNotQuoted() throws Exception {
    refuse(
        "customers.csv",
        CUSTOMER_HEADER + C1 + "C2,B1,,,1980-02-30,F,TW,\nC3,C,,,1980-01-02,F,TW,\n",
        "bank-a/customers.csv line 3, field birth_date: value is not a date (YYYY-MM-DD)");
  }

  @Test
  void badGender() throws Exception {
    refuse(
        "customers.csv",
        CUSTOMER_HEADER + C1 + "C2,B1,,,1980-01-02,f,TW,\nC3,C,,,1980-01-02,F,TW,\n",
        "bank-a/customers.csv line 3, field gender: \"f\" is not F, M or X");
  }

  @Test
  void badNationality() throws Exception {
    for (String bad : List.of("tw", "TWN", "XX", "T1")) {
      refuse(
          "customers.csv",
          CUSTOMER_HEADER + C1 + "C2,B1,,,1980-01-02,M," + bad + ",\nC3,C,,,1980-01-02,F,TW,\n",
          "bank-a/customers.csv line 3, field nationality: \""
              + bad
              + "\" is not an ISO 3166 alpha-2 country code");
    }
  }

  // --- accounts.csv ---

  @Test
  void emptyAccountId() throws Exception {
    refuse(
        "accounts.csv",
        Fixture.ACCOUNTS + ",C1,2020-01-01\n",
        "bank-a/accounts.csv line 6, field account_id: value is empty");
  }

  @Test
  void duplicateAccountId() throws Exception {
    refuse(
        "accounts.csv",
        Fixture.ACCOUNTS + "A2,C2,2020-01-01\n",
        "bank-a/accounts.csv line 6, field account_id: duplicate account_id, first on line 3");
  }

  @Test
  void accountOfUnknownCustomer() throws Exception {
    DataException e =
        refuse(
            "accounts.csv",
            Fixture.ACCOUNTS + "A5,SECRET-C9,2020-01-01\n",
            "bank-a/accounts.csv line 6, field customer_id: no such customer in customers.csv");
    assertFalse(e.getMessage().contains("SECRET"));
  }

  @Test
  void badOpeningDate() throws Exception {
    refuse(
        "accounts.csv",
        Fixture.ACCOUNTS + "A5,C1,2020/01/01\n",
        "bank-a/accounts.csv line 6, field opened_on: \"2020/01/01\" is not a date (YYYY-MM-DD)");
  }

  // --- devices.csv ---

  @Test
  void deviceOfUnknownCustomer() throws Exception {
    refuse(
        "devices.csv",
        "customer_id,device_id\nC1,d1\nC9,d2\n",
        "bank-a/devices.csv line 3, field customer_id: no such customer in customers.csv");
  }

  @Test
  void emptyDeviceId() throws Exception {
    refuse(
        "devices.csv",
        "customer_id,device_id\nC1,  \n",
        "bank-a/devices.csv line 2, field device_id: value is empty");
  }

  @Test
  void devicesColumnsAreChecked() throws Exception {
    refuse(
        "devices.csv",
        "customer_id\nC1\n",
        "bank-a/devices.csv line 1, field device_id: required column is missing");
  }

  // --- transactions.csv ---

  @Test
  void emptyTxnId() throws Exception {
    refuseTransaction(
        " ,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,1", "field txn_id: value is empty");
  }

  @Test
  void duplicateTxnId() throws Exception {
    refuseTransaction(
        "T1,2026-01-02T00:00:00Z,bank-a,A2,bank-a,A1,1",
        "field txn_id: duplicate txn_id, first on line 2");
  }

  @Test
  void badTimestamp() throws Exception {
    for (String ts :
        List.of("2026-01-01 00:00:00", "2026-01-01", "2026-02-30T00:00:00Z", "yesterday")) {
      refuseTransaction(
          "T2," + ts + ",bank-a,A1,bank-a,A2,1",
          "field ts: \"" + ts + "\" is not an ISO-8601 date-time");
    }
  }

  @Test
  void amountThatIsNotANumber() throws Exception {
    for (String amount : List.of("12abc", "1e3", "+5", ".5", "NaN")) {
      refuseTransaction(
          "T2,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2," + amount,
          "field amount: \"" + amount + "\" is not a decimal number");
    }
  }

  @Test
  void amountThatIsNotPositive() throws Exception {
    for (String amount : List.of("0", "0.00", "-5.00")) {
      refuseTransaction(
          "T2,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2," + amount,
          "field amount: \"" + amount + "\" is not positive");
    }
  }

  @Test
  void malformedBankId() throws Exception {
    refuseTransaction(
        "T2,2026-01-01T00:00:00Z,bank-a,A1,Bank_B,B1,1",
        "field to_bank: \"Bank_B\" is not a bank id (lower-case letters, digits, -)");
  }

  @Test
  void transactionWithoutThisBank() throws Exception {
    refuseTransaction(
        "T2,2026-01-01T00:00:00Z,bank-b,B1,bank-c,C1,1",
        "field from_bank/to_bank: neither from_bank \"bank-b\" nor to_bank \"bank-c\" is bank-a");
  }

  @Test
  void unknownSendingAccountOfThisBank() throws Exception {
    DataException e =
        refuseTransaction(
            "T2,2026-01-01T00:00:00Z,bank-a,SECRET-A9,bank-b,B1,1",
            "field from_account: no such account in accounts.csv");
    assertFalse(e.getMessage().contains("SECRET"));
  }

  @Test
  void unknownReceivingAccountOfThisBank() throws Exception {
    refuseTransaction(
        "T2,2026-01-01T00:00:00Z,bank-b,B1,bank-a,A9,1",
        "field to_account: no such account in accounts.csv");
  }

  @Test
  void emptyAccountAtTheOtherBank() throws Exception {
    refuseTransaction(
        "T2,2026-01-01T00:00:00Z,bank-b,,bank-a,A1,1", "field from_account: value is empty");
  }

  // --- alerts.csv ---

  @Test
  void unknownAlertLevel() throws Exception {
    DataException e =
        refuse(
            "alerts.csv",
            ALERT_HEADER + "A1,alert,2026-01-01\nA2,grey,2026-01-01\nA3,red,2026-01-01\n",
            "bank-a/alerts.csv line 4, field level: \"red\" is not alert or grey");
    assertEquals("bank-a/alerts.csv", e.file());
    assertEquals(4, e.line());
    assertEquals(Optional.of("level"), e.field());
  }

  @Test
  void accountListedTwiceInAlerts() throws Exception {
    refuse(
        "alerts.csv",
        ALERT_HEADER + "A1,grey,2026-01-01\nA1,alert,2026-01-02\n",
        "bank-a/alerts.csv line 3, field account_id: duplicate account_id, first on line 2");
  }

  @Test
  void alertForUnknownAccount() throws Exception {
    refuse(
        "alerts.csv",
        ALERT_HEADER + "A9,alert,2026-01-01\n",
        "bank-a/alerts.csv line 2, field account_id: no such account in accounts.csv");
  }

  @Test
  void badFlaggingDate() throws Exception {
    refuse(
        "alerts.csv",
        ALERT_HEADER + "A1,alert,\n",
        "bank-a/alerts.csv line 2, field flagged_on: value is empty");
  }

  // --- Collecting errors ---

  @Test
  void allErrorsAreCountedAndTheFirstIsReported() throws Exception {
    Path dir = Fixture.writeValid(root.resolve("bank-a"));
    // Two problems on line 3 and one on line 4.
    Fixture.write(
        dir,
        "transactions.csv",
        Fixture.TXN_HEADER
            + T1
            + "T2,2026-13-01T00:00:00Z,bank-a,A1,bank-a,A2,x\n"
            + "T3,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,0\n");
    Fixture.write(dir, "alerts.csv", ALERT_HEADER + "A1,red,2026-01-01\n");
    DataException e = load(dir);
    assertEquals(
        "bank-a/transactions.csv line 3, field ts: \"2026-13-01T00:00:00Z\" is not an ISO-8601"
            + " date-time (and 3 more errors)",
        e.getMessage());
    assertEquals(3, e.moreErrors());
    assertEquals(
        List.of(
            "bank-a/transactions.csv line 3, field ts: \"2026-13-01T00:00:00Z\" is not an"
                + " ISO-8601 date-time",
            "bank-a/transactions.csv line 3, field amount: \"x\" is not a decimal number",
            "bank-a/transactions.csv line 4, field amount: \"0\" is not positive",
            "bank-a/alerts.csv line 2, field level: \"red\" is not alert or grey"),
        e.errors());
  }

  @Test
  void errorsAreReportedInReadingOrderOfFiles() throws Exception {
    Path dir = Fixture.writeValid(root.resolve("bank-a"));
    Fixture.write(dir, "alerts.csv", ALERT_HEADER + "A1,red,2026-01-01\n");
    Fixture.write(dir, "customers.csv", Fixture.CUSTOMERS + "C4,D1,,,1980-01-02,W,TW,,\n");
    assertEquals(
        "bank-a/customers.csv line 5, field gender: \"W\" is not F, M or X (and 1 more error)",
        load(dir).getMessage());
  }

  @Test
  void duplicateFoundLaterIsSortedByLine() throws Exception {
    // The duplicate on line 3 is confirmed by a second pass, after line 4's error was found.
    refuse(
        "transactions.csv",
        Fixture.TXN_HEADER + T1 + T1 + "T2,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,-1\n",
        "bank-a/transactions.csv line 3, field txn_id: duplicate txn_id, first on line 2"
            + " (and 1 more error)");
  }

  @Test
  void keptErrorsAreCappedButAllAreCounted() throws Exception {
    StringBuilder rows = new StringBuilder(Fixture.TXN_HEADER);
    for (int i = 0; i < 1500; i++) {
      rows.append("T").append(i).append(",2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,0\n");
    }
    DataException e =
        refuse(
            "transactions.csv",
            rows.toString(),
            "bank-a/transactions.csv line 2, field amount: \"0\" is not positive"
                + " (and 1499 more errors)");
    assertEquals(1499, e.moreErrors());
    assertEquals(Problems.KEPT, e.errors().size());
  }

  private DataException refuseTransaction(String row, String expected) throws IOException {
    return refuse(
        "transactions.csv",
        Fixture.TXN_HEADER + T1 + row + "\n",
        "bank-a/transactions.csv line 3, " + expected);
  }

  /** Writes the valid folder with {@code file} replaced, and checks the error it causes. */
  private DataException refuse(String file, String text, String expected) throws IOException {
    Path dir = Fixture.writeValid(root.resolve("bank-a"));
    Fixture.write(dir, file, text);
    DataException e = load(dir);
    assertEquals(expected, e.getMessage());
    return e;
  }

  private static DataException load(Path dir) {
    return assertThrows(DataException.class, () -> BankData.load(dir, "bank-a"));
  }
}
