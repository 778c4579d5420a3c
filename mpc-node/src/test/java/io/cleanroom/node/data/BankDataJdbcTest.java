package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.testing.KeyOrder;
import io.cleanroom.node.testing.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank read from PostgreSQL is the same bank as read from its CSV files, and bad tables are
 * refused with the same kind of messages, located by table, row and column.
 */
class BankDataJdbcTest {
  private static final String READER = "cleanroom_reader";
  private static final String PASSWORD = "s3cret 'quoted'";

  private static PostgresServer db;
  private static int schemas;

  @TempDir Path root;

  @BeforeAll
  static void startDatabase() throws Exception {
    db = PostgresServer.start();
    db.execute("CREATE ROLE " + READER + " LOGIN PASSWORD '" + PASSWORD.replace("'", "''") + "'");
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void generatedBank_readsTheSameFromCsvAndDatabase() throws Exception {
    Path dir = writeBank(root.resolve("bank-a"), 1500, 20_000, 42);
    String schema = load(dir, true);
    BankData csv = BankData.load(dir, "bank-a");
    BankData sql = BankData.load(source(schema), "bank-a");
    assertEquals(1500, sql.accountCount());
    assertEquals(20_000, sql.transactionCount());
    assertEquals(csv.digest(), sql.digest());
    assertEquals(BankDump.of(csv), BankDump.of(sql));
  }

  @Test
  void textColumns_readTheSameAsTypedOnes() throws Exception {
    Path dir = writeBank(root.resolve("bank-a"), 200, 1000, 7);
    String schema = load(dir, false);
    BankData csv = BankData.load(dir, "bank-a");
    BankData sql = BankData.load(source(schema), "bank-a");
    assertEquals(csv.digest(), sql.digest());
    assertEquals(BankDump.of(csv), BankDump.of(sql));
  }

  @Test
  void renamedTables_andOtherColumnTypes_areRead() throws Exception {
    Path dir = writeBank(root.resolve("bank-a"), 50, 300, 3);
    String schema = load(dir, true);
    // A bank's own table name, a varchar id column and an extra column, which is ignored.
    db.execute(
        "ALTER TABLE "
            + schema
            + ".transactions RENAME TO txn_export;"
            + "ALTER TABLE "
            + schema
            + ".txn_export ADD COLUMN booked_by text DEFAULT 'batch';"
            + "ALTER TABLE "
            + schema
            + ".accounts ALTER COLUMN account_id TYPE varchar(40);");
    db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + READER);
    JdbcSource renamed =
        new JdbcSource(
            db.url("cleanroom"),
            READER,
            PASSWORD,
            schema,
            Map.of(BankFile.TRANSACTIONS, "txn_export"));
    assertEquals(
        BankDump.of(BankData.load(dir, "bank-a")), BankDump.of(BankData.load(renamed, "bank-a")));
  }

  @Test
  void integerIds_andTimestampsWithoutZone_areRenderedAsCsvText() throws Exception {
    String schema = "s" + ++schemas;
    db.execute(
        "CREATE SCHEMA "
            + schema
            + "; SET search_path = "
            + schema
            + ";"
            + "CREATE TABLE customers (customer_id bigint, national_id text, birth_date date,"
            + " gender text, nationality text);"
            + "CREATE TABLE accounts (account_id bigint, customer_id bigint, opened_on date);"
            + "CREATE TABLE transactions (txn_id bigint, ts timestamp, from_bank text,"
            + " from_account bigint, to_bank text, to_account bigint, amount numeric(10,3));"
            + "CREATE TABLE alerts (account_id bigint, level text, flagged_on date);"
            + "INSERT INTO customers VALUES (7, 'A1', '1980-01-02', 'F', 'TW');"
            + "INSERT INTO accounts VALUES (10, 7, '2020-01-01'), (9, 7, '2020-01-02');"
            + "INSERT INTO transactions VALUES"
            + " (1, '2026-01-01 08:00:00.5', 'bank-a', 10, 'bank-a', 9, 12.5);"
            + "INSERT INTO alerts VALUES (9, 'grey', '2026-01-02');"
            + "GRANT USAGE ON SCHEMA "
            + schema
            + " TO "
            + READER
            + "; GRANT SELECT ON ALL TABLES IN SCHEMA "
            + schema
            + " TO "
            + READER);
    Path dir = root.resolve("same");
    Files.createDirectories(dir);
    Fixture.write(
        dir,
        "customers.csv",
        "customer_id,national_id,birth_date,gender,nationality\n7,A1,1980-01-02,F,TW\n");
    // Numeric order of the integer key: 9 before 10.
    Fixture.write(
        dir, "accounts.csv", "account_id,customer_id,opened_on\n9,7,2020-01-02\n10,7,2020-01-01\n");
    Fixture.write(
        dir,
        "transactions.csv",
        "txn_id,ts,from_bank,from_account,to_bank,to_account,amount\n"
            + "1,2026-01-01T08:00:00.5,bank-a,10,bank-a,9,12.500\n");
    Fixture.write(dir, "alerts.csv", "account_id,level,flagged_on\n9,grey,2026-01-02\n");
    BankData csv = BankData.load(dir, "bank-a");
    BankData sql = BankData.load(source(schema), "bank-a");
    assertEquals("9", sql.accountId(0));
    assertEquals(csv.digest(), sql.digest());
    assertEquals(BankDump.of(csv), BankDump.of(sql));
    assertEquals(
        LocalDate.parse("2026-01-01").atTime(0, 0).toEpochSecond(java.time.ZoneOffset.UTC),
        sql.activity().firstSeen(1));
  }

  // --- Bad tables ---

  @Test
  void missingTable_isNamed() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute("DROP TABLE " + schema + ".alerts; DROP TABLE " + schema + ".accounts");
    DataException e = loadFails(schema);
    assertEquals(
        List.of(
            "bank-a/" + schema + ".accounts: required table is missing",
            "bank-a/" + schema + ".alerts: required table is missing"),
        e.errors());
  }

  @Test
  void missingDevicesTable_isAccepted() throws Exception {
    Path dir = writeBank(root.resolve("bank-a"), 20, 50, 1);
    String schema = load(dir, true);
    db.execute("DROP TABLE " + schema + ".devices");
    Files.delete(dir.resolve("devices.csv"));
    assertEquals(
        BankData.load(dir, "bank-a").digest(), BankData.load(source(schema), "bank-a").digest());
  }

  @Test
  void missingColumn_isNamed() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute("ALTER TABLE " + schema + ".accounts DROP COLUMN opened_on");
    DataException e = loadFails(schema);
    assertEquals(
        "bank-a/" + schema + ".accounts field opened_on: required column is missing",
        e.getMessage());
  }

  @Test
  void nullInRequiredColumn_isNamedByRowAndColumn() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    // T0 sorts first, so it is row 1.
    db.execute("UPDATE " + schema + ".transactions SET from_account = NULL WHERE txn_id = 'T0'");
    DataException e = loadFails(schema);
    assertEquals(
        "bank-a/" + schema + ".transactions row 1, field from_account: value is NULL",
        e.getMessage());
    assertEquals("row", e.unit());
    assertEquals(1, e.line());
  }

  @Test
  void badValue_isNamedByRowAndColumn() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute(
        "UPDATE "
            + schema
            + ".alerts SET level = 'red' WHERE account_id ="
            + " (SELECT min(account_id COLLATE \"C\") FROM "
            + schema
            + ".alerts)");
    DataException e = loadFails(schema);
    assertEquals(
        "bank-a/" + schema + ".alerts row 1, field level: \"red\" is not alert or grey",
        e.getMessage());
  }

  @Test
  void danglingReference_namesTheOtherTable() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute("UPDATE " + schema + ".accounts SET customer_id = 'nobody' WHERE account_id = 'A0'");
    DataException e = loadFails(schema);
    assertEquals(
        "bank-a/"
            + schema
            + ".accounts row 1, field customer_id: no such customer in "
            + schema
            + ".customers",
        e.getMessage());
  }

  @Test
  void duplicateTxnId_namesBothRows() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute("UPDATE " + schema + ".transactions SET txn_id = 'T0' WHERE txn_id = 'T1'");
    DataException e = loadFails(schema);
    assertEquals(
        "bank-a/" + schema + ".transactions row 2, field txn_id: duplicate txn_id, first on row 1",
        e.getMessage());
  }

  @Test
  void unreadableColumnType_isNamed() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute("ALTER TABLE " + schema + ".transactions ALTER COLUMN amount TYPE float8");
    DataException e = loadFails(schema);
    assertEquals(
        "bank-a/"
            + schema
            + ".transactions field amount: column has type float8; expected numeric, an integer"
            + " type or a character type (not floating point)",
        e.getMessage());
  }

  @Test
  void tableWithoutSelectGrant_failsAsDatabaseError() throws Exception {
    String schema = load(writeBank(root.resolve("bank-a"), 20, 50, 1), true);
    db.execute("REVOKE SELECT ON " + schema + ".alerts FROM " + READER);
    IOException e = assertThrows(IOException.class, () -> BankData.load(source(schema), "bank-a"));
    assertTrue(
        e.getMessage().startsWith("bank-a/" + schema + ".alerts: database error: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
  }

  @Test
  void wrongPassword_namesUrlAndUser() throws Exception {
    JdbcSource wrong =
        new JdbcSource(db.url("cleanroom"), READER, "not the password", null, Map.of());
    IOException e = assertThrows(IOException.class, () -> BankData.load(wrong, "bank-a"));
    assertTrue(
        e.getMessage()
            .startsWith(
                "bank-a: cannot connect to " + db.url("cleanroom") + " as " + READER + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
    assertTrue(!e.getMessage().contains("not the password"), e.getMessage());
  }

  @Test
  void source_hidesItsPassword() {
    JdbcSource s = new JdbcSource("jdbc:postgresql://h/d", "u", PASSWORD, null, Map.of());
    assertTrue(!s.toString().contains(PASSWORD), s.toString());
  }

  // --- Helpers ---

  private DataException loadFails(String schema) {
    return assertThrows(DataException.class, () -> BankData.load(source(schema), "bank-a"));
  }

  private static JdbcSource source(String schema) {
    return new JdbcSource(db.url("cleanroom"), READER, PASSWORD, schema, Map.of());
  }

  /** Loads a bank folder into a new schema readable by {@link #READER}; returns the schema. */
  private static String load(Path dir, boolean typed) throws Exception {
    String schema = "s" + ++schemas;
    if (typed) {
      db.loadBank(schema, dir);
    } else {
      db.loadBankAsText(schema, dir);
    }
    db.execute(
        "GRANT USAGE ON SCHEMA "
            + schema
            + " TO "
            + READER
            + "; GRANT SELECT ON ALL TABLES IN SCHEMA "
            + schema
            + " TO "
            + READER);
    return schema;
  }

  /**
   * Writes a random bank-a folder in canonical form: columns in canonical order, LF line ends, rows
   * sorted by key as the database reads them (so that the file's digest is the table's), ids
   * without padding (T10 sorts before T2), amounts with two decimals, timestamps in UTC; regions
   * with commas, quotes and Chinese characters; empty optional fields.
   */
  static Path writeBank(Path dir, int accounts, int transactions, long seed) throws IOException {
    Random r = new Random(seed);
    Files.createDirectories(dir);
    int customers = Math.max(1, accounts * 2 / 3);
    String[] regions = {"", "臺北市", "Taipei, Da'an", "say \"hi\"", "新北市"};
    List<String> rows = new ArrayList<>();
    for (int c = 0; c < customers; c++) {
      rows.add(
          "C"
              + c
              + ",A"
              + (100_000_000 + r.nextInt(900_000_000))
              + ","
              + (r.nextBoolean() ? "c" + c + "@example.com" : "")
              + ","
              + (r.nextInt(3) == 0 ? "09" + (10_000_000 + r.nextInt(90_000_000)) : "")
              + ","
              + LocalDate.ofEpochDay(-8000 + r.nextInt(15_000))
              + ","
              + "FMX".charAt(r.nextInt(3))
              + ","
              + (r.nextInt(5) == 0 ? "VN" : "TW")
              + ","
              + csvField(regions[r.nextInt(regions.length)]));
    }
    write(
        dir,
        "customers.csv",
        "customer_id,national_id,email,phone,birth_date,gender,nationality,region",
        rows);
    rows = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      rows.add(
          "A"
              + a
              + ",C"
              + (a < customers ? a : r.nextInt(customers))
              + ","
              + LocalDate.ofEpochDay(17_000 + r.nextInt(3000)));
    }
    write(dir, "accounts.csv", "account_id,customer_id,opened_on", rows);
    rows = new ArrayList<>();
    for (int i = 0; i < customers / 2; i++) {
      rows.add("C" + r.nextInt(customers) + ",dev-" + r.nextInt(customers / 3 + 1));
    }
    write(dir, "devices.csv", "customer_id,device_id", rows);
    rows = new ArrayList<>();
    long start = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    for (int t = 0; t < transactions; t++) {
      String from = "bank-a,A" + r.nextInt(accounts);
      String to = "bank-a,A" + r.nextInt(accounts);
      int kind = r.nextInt(10);
      if (kind == 0) {
        from = "bank-b,B" + r.nextInt(200);
      } else if (kind == 1) {
        to = (r.nextBoolean() ? "bank-b,B" : "ext-1,X") + r.nextInt(200);
      }
      long cents = 1 + (long) (Math.exp(r.nextDouble() * 14));
      rows.add(
          "T"
              + t
              + ","
              + Instant.ofEpochSecond(start + r.nextInt(90 * 86_400))
              + ","
              + from
              + ","
              + to
              + ","
              + cents / 100
              + "."
              + String.format("%02d", cents % 100));
    }
    write(
        dir,
        "transactions.csv",
        "txn_id,ts,from_bank,from_account,to_bank,to_account,amount",
        rows);
    TreeSet<Integer> flagged = new TreeSet<>();
    while (flagged.size() < Math.max(2, accounts / 30)) {
      flagged.add(r.nextInt(accounts));
    }
    rows = new ArrayList<>();
    for (int a : flagged) {
      rows.add(
          "A"
              + a
              + ","
              + (r.nextBoolean() ? "alert" : "grey")
              + ","
              + LocalDate.ofEpochDay(20_454 + r.nextInt(90)));
    }
    write(dir, "alerts.csv", "account_id,level,flagged_on", rows);
    KeyOrder.sort(dir);
    return dir;
  }

  private static void write(Path dir, String name, String header, List<String> rows)
      throws IOException {
    StringBuilder sb = new StringBuilder(header).append('\n');
    for (String row : rows) {
      sb.append(row).append('\n');
    }
    Files.writeString(dir.resolve(name), sb.toString(), StandardCharsets.UTF_8);
  }

  private static String csvField(String value) {
    StringBuilder sb = new StringBuilder();
    JdbcTableReader.appendField(sb, value);
    return sb.toString();
  }
}
