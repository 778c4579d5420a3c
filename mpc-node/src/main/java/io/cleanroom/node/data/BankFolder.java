package io.cleanroom.node.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The counts a study opens about one bank's data folder, taken from the fully validated {@link
 * BankData}: a folder that breaks the data format is refused whole, as described there.
 */
public final class BankFolder {
  /** Bank ids: lower-case letters, digits and {@code -}. */
  public static final Pattern BANK_ID = Pattern.compile("[a-z0-9-]+");

  private BankFolder() {}

  /**
   * Reads one bank's folder and counts it.
   *
   * @param bankDir the folder holding this bank's CSV files
   * @param bankId this bank's id, as written in {@code from_bank}/{@code to_bank}
   * @param participantBanks the banks taking part in the study, including this one; decides which
   *     incoming transfers this bank must count because their sender will not
   * @throws DataException if the folder breaks the data format; see {@link BankData#load}
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
    return counts(BankData.load(bankDir, bankId), participantBanks);
  }

  /**
   * The counts of an already loaded bank: accounts, the transfers this bank counts so that summing
   * over the participants counts every transfer once, alert and grey accounts, customers, digest.
   */
  public static BankCounts counts(BankData data, Set<String> participantBanks) {
    return new BankCounts(
        data.accountCount(),
        data.transactionsSent(Set.copyOf(participantBanks)),
        data.accountsAt(AlertLevel.ALERT),
        data.accountsAt(AlertLevel.GREY),
        data.customers().count(),
        data.digest());
  }
}
