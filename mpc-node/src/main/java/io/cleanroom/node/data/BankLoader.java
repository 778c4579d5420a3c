package io.cleanroom.node.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Reads and checks the tables of one bank, from a CSV folder or a database, in {@link BankFile}
 * order, so that every table a record refers to has been read before it: customers, accounts,
 * devices, transactions, alerts. Problems are collected across all tables and thrown together at
 * the end.
 *
 * <p>A reference into a file that could not be read whole (bad header, a record of the wrong width,
 * malformed CSV) is not checked: the error is already reported, and checking would add one
 * misleading error per referring record.
 */
final class BankLoader {
  private final BankTables tables;
  private final String bankId;
  private final Problems problems = new Problems();
  private final StringBuilder manifest = new StringBuilder();

  private BankLoader(BankTables tables, String bankId) {
    this.tables = tables;
    this.bankId = bankId;
  }

  /** See {@link BankData#load(Path, String)}. */
  static BankData load(Path dir, String bankId) throws IOException, DataException {
    if (!Files.isDirectory(dir)) {
      throw new DataException(bankId, 0, null, "data folder " + dir + " does not exist");
    }
    return new BankLoader(new CsvFolderTables(dir, bankId), bankId).load();
  }

  /** See {@link BankData#load(JdbcSource, String)}. */
  static BankData load(JdbcSource source, String bankId) throws IOException, DataException {
    try (JdbcTables tables = JdbcTables.connect(source, bankId)) {
      return new BankLoader(tables, bankId).load();
    }
  }

  private BankData load() throws IOException, DataException {
    // Missing tables fail before minutes of reading, and without the errors they would cause.
    boolean devices = false;
    for (BankFile file : BankFile.values()) {
      boolean exists = tables.exists(file);
      if (file.required() && !exists) {
        problems.add(tables.label(file), 0, null, "required " + tables.noun() + " is missing");
      }
      devices |= file == BankFile.DEVICES && exists;
    }
    problems.throwIfAny();

    Customers.Builder customers = new Customers.Builder();
    boolean customersWhole = read(BankFile.CUSTOMERS, new CustomerRows(customers), true);
    AccountRows accounts = new AccountRows(customers, customersWhole);
    boolean accountsWhole = read(BankFile.ACCOUNTS, accounts, true);
    if (devices) {
      read(BankFile.DEVICES, new DeviceRows(customers, customersWhole), true);
    }
    KeyTable ids = accounts.ids();
    FlowAggregator flows = new FlowAggregator(bankId, ids.size());
    TransactionRows transactions = new TransactionRows(bankId, ids, accountsWhole, flows, problems);
    read(BankFile.TRANSACTIONS, transactions, true);
    RowSink duplicates = transactions.duplicateCheck();
    if (duplicates != null) {
      read(BankFile.TRANSACTIONS, duplicates, false);
    }
    AlertRows alerts = new AlertRows(ids, accountsWhole);
    read(BankFile.ALERTS, alerts, true);
    problems.throwIfAny();

    byte[] digest = RowReader.sha256().digest(manifest.toString().getBytes(StandardCharsets.UTF_8));
    ids.trim();
    return new BankData(
        bankId,
        ids,
        accounts.customerOf(),
        accounts.openedOn(),
        alerts.levels(),
        alerts.flaggedOn(),
        customers.build(),
        flows.finish(),
        HexFormat.of().formatHex(digest));
  }

  /**
   * Streams one table into {@code sink}.
   *
   * @param firstPass whether this is the first read of the table, which reports the problems of its
   *     shape and adds it to the digest; a later pass only serves the sink
   * @return whether every record reached the sink
   */
  private boolean read(BankFile file, RowSink sink, boolean firstPass) throws IOException {
    Problems problemsOfFile = firstPass ? problems : new Problems();
    RowReader reader = tables.open(file, problemsOfFile);
    if (reader == null) {
      return false;
    }
    try (reader) {
      sink.header(reader);
      while (reader.next()) {
        sink.row(reader);
      }
      if (firstPass) {
        manifest.append(reader.sha256Hex()).append("  ").append(file.fileName()).append('\n');
      }
      return !reader.skippedRecords();
    } catch (DataException e) {
      problemsOfFile.add(e);
      return false;
    }
  }
}
