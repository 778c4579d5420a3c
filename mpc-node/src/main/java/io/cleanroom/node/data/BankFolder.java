package io.cleanroom.node.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The lenient first loader of one bank's data folder: it streams the files of {@link BankFile} once
 * and returns {@link BankCounts}.
 *
 * <p><b>Lenient</b> means it checks only what the counts depend on, and leaves the full validation
 * (date and amount formats, id uniqueness, references between files, identity fields) to a later,
 * stricter loader. What it does check it reports precisely, with a {@link DataException} naming
 * file, line and field:
 *
 * <ul>
 *   <li>every required file exists and is valid UTF-8 CSV (RFC 4180) with a header row;
 *   <li>every required column is present, and every record has as many fields as the header;
 *   <li>{@code txn_id}, {@code from_bank}, {@code to_bank} and alert {@code account_id} are not
 *       empty, and {@code level} is {@code alert} or {@code grey};
 *   <li>each transaction has this bank as {@code from_bank} or {@code to_bank}.
 * </ul>
 *
 * <p>Values are compared after trimming surrounding spaces; header names also ignore case.
 *
 * <p>The digest is the SHA-256 of a manifest listing, in {@link BankFile} order, the hex SHA-256
 * and name of each file read (an absent optional file is not listed), in the output format of
 * {@code sha256sum}. Hashing per file keeps file boundaries unambiguous, and the value can be
 * reproduced by the bank's operator with {@code sha256sum customers.csv accounts.csv [devices.csv]
 * transactions.csv alerts.csv | sha256sum} inside the folder.
 */
public final class BankFolder {
  /** Bank ids: lower-case letters, digits and {@code -}. */
  public static final Pattern BANK_ID = Pattern.compile("[a-z0-9-]+");

  private BankFolder() {}

  /**
   * Reads one bank's folder.
   *
   * @param bankDir the folder holding this bank's CSV files
   * @param bankId this bank's id, as written in {@code from_bank}/{@code to_bank}
   * @param participantBanks the banks taking part in the study, including this one; decides which
   *     incoming transfers this bank must count because their sender will not
   * @throws DataException if a file, column or value breaks one of the rules listed above
   * @throws IOException if a file cannot be read
   * @throws IllegalArgumentException if {@code bankId} is malformed or not a participant
   */
  public static BankCounts load(Path bankDir, String bankId, Set<String> participantBanks)
      throws IOException, DataException {
    Objects.requireNonNull(bankDir, "bankDir");
    Objects.requireNonNull(bankId, "bankId");
    Objects.requireNonNull(participantBanks, "participantBanks");
    if (!BANK_ID.matcher(bankId).matches()) {
      throw new IllegalArgumentException(
          "bank id must be lower-case letters, digits and '-': " + DataException.quote(bankId));
    }
    if (!participantBanks.contains(bankId)) {
      throw new IllegalArgumentException(
          "bank " + bankId + " is not among the participants " + participantBanks);
    }
    if (!Files.isDirectory(bankDir)) {
      throw new DataException(bankId, 0, null, "data folder " + bankDir + " does not exist");
    }
    // Check every required file up front so a missing one fails before minutes of reading.
    for (BankFile file : BankFile.values()) {
      if (file.required() && !Files.isRegularFile(bankDir.resolve(file.fileName()))) {
        throw new DataException(label(bankId, file), 0, null, "required file is missing");
      }
    }
    Tally tally = new Tally(bankId, Set.copyOf(participantBanks));
    StringBuilder manifest = new StringBuilder();
    for (BankFile file : BankFile.values()) {
      Path path = bankDir.resolve(file.fileName());
      if (!Files.isRegularFile(path)) {
        continue;
      }
      try (DataFileReader reader =
          DataFileReader.open(
              path, label(bankId, file), file.requiredColumns(), file.optionalColumns())) {
        while (reader.next()) {
          tally.add(file, reader);
        }
        manifest.append(reader.sha256Hex()).append("  ").append(file.fileName()).append('\n');
      }
    }
    byte[] digest =
        DataFileReader.sha256().digest(manifest.toString().getBytes(StandardCharsets.UTF_8));
    return tally.counts(HexFormat.of().formatHex(digest));
  }

  private static String label(String bankId, BankFile file) {
    return bankId + "/" + file.fileName();
  }

  /** Running counts while the files stream past. */
  private static final class Tally {
    private final String bankId;
    private final Set<String> participants;
    private final Set<String> counted = new HashSet<>();
    private final Set<String> alert = new HashSet<>();
    private final Set<String> grey = new HashSet<>();
    private long customers;
    private long accounts;

    Tally(String bankId, Set<String> participants) {
      this.bankId = bankId;
      this.participants = participants;
    }

    void add(BankFile file, DataFileReader row) throws DataException {
      switch (file) {
        case CUSTOMERS -> customers++;
        case ACCOUNTS -> accounts++;
        case DEVICES -> {}
        case TRANSACTIONS -> addTransaction(row);
        case ALERTS -> addAlert(row);
      }
    }

    private void addTransaction(DataFileReader row) throws DataException {
      String txnId = row.require("txn_id");
      String from = row.require("from_bank");
      String to = row.require("to_bank");
      boolean sent = from.equals(bankId);
      if (!sent && !to.equals(bankId)) {
        throw row.error(
            "from_bank/to_bank",
            "neither from_bank "
                + DataException.quote(from)
                + " nor to_bank "
                + DataException.quote(to)
                + " is "
                + bankId);
      }
      // A participating sender counts the transfer in its own file; otherwise nobody else will.
      if (sent || !participants.contains(from)) {
        counted.add(txnId);
      }
    }

    private void addAlert(DataFileReader row) throws DataException {
      String account = row.require("account_id");
      String level = row.require("level");
      switch (level) {
        case "alert" -> alert.add(account);
        case "grey" -> grey.add(account);
        default -> throw row.error("level", DataException.quote(level) + " is not alert or grey");
      }
    }

    BankCounts counts(String digest) {
      return new BankCounts(accounts, counted.size(), alert.size(), grey.size(), customers, digest);
    }
  }
}
