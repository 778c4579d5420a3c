package io.cleanroom.node.data;

import java.util.List;

/**
 * The CSV files of one bank's data folder, or the tables of its database, in the fixed order in
 * which they are read and digested. Columns may appear in any order in a file and extra columns are
 * ignored; {@link #columns()} is the canonical order used when writing files.
 */
public enum BankFile {
  /** One row per customer of the bank. */
  CUSTOMERS(
      "customers.csv",
      true,
      List.of(
          "customer_id",
          "national_id",
          "email",
          "phone",
          "birth_date",
          "gender",
          "nationality",
          "region"),
      List.of("email", "phone", "region")),
  /** One row per account, owned by a customer. */
  ACCOUNTS("accounts.csv", true, List.of("account_id", "customer_id", "opened_on"), List.of()),
  /** Devices seen per customer; the whole file is optional. */
  DEVICES("devices.csv", false, List.of("customer_id", "device_id"), List.of()),
  /** Transfers with this bank on at least one side; cross-bank ones appear at both banks. */
  TRANSACTIONS(
      "transactions.csv",
      true,
      List.of("txn_id", "ts", "from_bank", "from_account", "to_bank", "to_account", "amount"),
      List.of()),
  /** Accounts the bank has flagged, at level {@code alert} or {@code grey}. */
  ALERTS("alerts.csv", true, List.of("account_id", "level", "flagged_on"), List.of());

  private final String fileName;
  private final boolean required;
  private final List<String> columns;
  private final List<String> optionalColumns;

  BankFile(String fileName, boolean required, List<String> columns, List<String> optional) {
    this.fileName = fileName;
    this.required = required;
    this.columns = columns;
    this.optionalColumns = optional;
  }

  /** The file's name inside the bank folder. */
  public String fileName() {
    return fileName;
  }

  /**
   * The name of the matching database table when none is configured, and the key naming it in a
   * node's {@code data.jdbc.tables}: the file's name without {@code .csv}, e.g. {@code accounts}.
   */
  public String tableName() {
    return fileName.substring(0, fileName.length() - ".csv".length());
  }

  /** Whether a bank folder without this file is invalid. */
  public boolean required() {
    return required;
  }

  /** All known columns, in the canonical order. */
  public List<String> columns() {
    return columns;
  }

  /**
   * Columns whose values may be empty; the column itself may then also be absent, which reads the
   * same as every value being empty.
   */
  public List<String> optionalColumns() {
    return optionalColumns;
  }

  /** Columns that must be present in the header. */
  public List<String> requiredColumns() {
    return columns.stream().filter(c -> !optionalColumns.contains(c)).toList();
  }
}
