package io.cleanroom.node.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small valid bank folder for bank-a, exercising the format's freedoms, and file helpers. */
final class Fixture {
  static final String CUSTOMERS =
      // Columns shuffled, an extra column, quoting, CRLF and untidy identifiers.
      "national_id,customer_id,email,phone,birth_date,gender,nationality,region,note\r\n"
          + " a123456789 ,C1,Foo@Example.COM ,+886 912-345-678,1980-01-02,F,TW,臺北市,\"a, b\"\r\n"
          + "B123456789,C2,,,1990-03-04,M,VN,,\r\n"
          + "C123456789,C3,c3@example.com,02-2345-6789,2001-12-31,X,US,,\r\n";
  static final String ACCOUNTS =
      "account_id,customer_id,opened_on\n"
          + "A1,C1,2020-01-01\n"
          + "A2,C1,2021-01-01\n"
          + "A3,C2,2022-01-01\n"
          + "A4,C3,2023-06-30\n";
  static final String DEVICES =
      "customer_id,device_id\n" + "C1, dev-1 \n" + "C1,dev-2\n" + "C1,dev-1\n" + "C2,dev-2\n";
  static final String TRANSACTIONS =
      "txn_id,ts,from_bank,from_account,to_bank,to_account,amount\n"
          + "T1,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,10.00\n"
          + "T2,2026-01-01T08:00:00+08:00,bank-a,A1,bank-a,A2,5.5\n"
          + "T3,2026-01-02T00:00:00,bank-a,A2,bank-a,A3,7\n"
          + "T4,2026-01-03T00:00:00Z,bank-a,A1,bank-b,B1,20.00\n"
          + "T5,2026-01-03T00:00:01Z,bank-a,A1,bank-b,B1,1.25\n"
          + "T6,2026-01-04T00:00:00Z,bank-a,A1,bank-c,B1,3\n"
          + "T7,2026-01-05T00:00:00Z,bank-b,B1,bank-a,A3,30.00\n"
          + "T8,2026-01-06T00:00:00Z,ext-1,X9,bank-a,A3,40.00\n"
          + "T9,2026-01-07T00:00:00.5Z,bank-a,A3,bank-a,A3,2\n";
  static final String ALERTS =
      "account_id,level,flagged_on\n" + "A1,alert,2026-01-05\n" + "A2,grey,2026-01-07\n";

  /** The header of transactions.csv in canonical order. */
  static final String TXN_HEADER = "txn_id,ts,from_bank,from_account,to_bank,to_account,amount\n";

  private Fixture() {}

  /** Writes the valid folder into {@code dir}, creating it. */
  static Path writeValid(Path dir) throws IOException {
    Files.createDirectories(dir);
    write(dir, "customers.csv", CUSTOMERS);
    write(dir, "accounts.csv", ACCOUNTS);
    write(dir, "devices.csv", DEVICES);
    write(dir, "transactions.csv", TRANSACTIONS);
    write(dir, "alerts.csv", ALERTS);
    return dir;
  }

  static void write(Path dir, String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
