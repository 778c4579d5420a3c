package io.cleanroom.node.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Reads and checks the files of one bank folder in {@link BankFile} order, so that every file a
 * record refers to has been read before it: customers, accounts, devices, transactions, alerts.
 * Problems are collected across all files and thrown together at the end.
 *
 * <p>A reference into a file that could not be read whole (bad header, a record of the wrong width,
 * malformed CSV) is not checked: the error is already reported, and checking would add one
 * misleading error per referring record.
 */
final class BankLoader {
  private final Path dir;
  private final String bankId;
  private final Problems problems = new Problems();
  private final StringBuilder manifest = new StringBuilder();

  private BankLoader(Path dir, String bankId) {
    this.dir = dir;
    this.bankId = bankId;
  }

  /** See {@link BankData#load}. */
  static BankData load(Path dir, String bankId) throws IOException, DataException {
    if (!Files.isDirectory(dir)) {
      throw new DataException(bankId, 0, null, "data folder " + dir + " does not exist");
    }
    return new BankLoader(dir, bankId).load();
  }

  private BankData load() throws IOException, DataException {
    // Missing files fail before minutes of reading, and without the errors they would cause.
    for (BankFile file : BankFile.values()) {
      if (file.required() && !Files.isRegularFile(path(file))) {
        problems.add(label(file), 0, null, "required file is missing");
      }
    }
    problems.throwIfAny();

    Customers.Builder customers = new Customers.Builder();
    boolean customersWhole = read(BankFile.CUSTOMERS, new CustomerRows(customers), true);
    AccountRows accounts = new AccountRows(customers, customersWhole);
    boolean accountsWhole = read(BankFile.ACCOUNTS, accounts, true);
    if (Files.isRegularFile(path(BankFile.DEVICES))) {
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

    byte[] digest =
        DataFileReader.sha256().digest(manifest.toString().getBytes(StandardCharsets.UTF_8));
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
   * Streams one file into {@code sink}.
   *
   * @param firstPass whether this is the first read of the file, which reports the problems of its
   *     shape and adds it to the digest; a later pass only serves the sink
   * @return whether every record reached the sink
   */
  private boolean read(BankFile file, RowSink sink, boolean firstPass) throws IOException {
    Problems problemsOfFile = firstPass ? problems : new Problems();
    DataFileReader reader =
        DataFileReader.open(
            path(file),
            label(file),
            file.requiredColumns(),
            file.optionalColumns(),
            problemsOfFile);
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

  private Path path(BankFile file) {
    return dir.resolve(file.fileName());
  }

  private String label(BankFile file) {
    return bankId + "/" + file.fileName();
  }
}
