package io.cleanroom.node.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Checks the records of {@code transactions.csv} and feeds the valid ones to a {@link
 * FlowAggregator}.
 *
 * <p>Duplicate txn ids are found without keeping ten million ids: the first pass appends a 64-bit
 * fingerprint per id to an array, sorted once at the end (appending and sorting touch memory in
 * order, where a hash set would miss the cache on every row). Only if two fingerprints are equal
 * does {@link #duplicateCheck()} ask for a second pass, comparing the actual ids behind them. Equal
 * fingerprints of different ids are rare (about 10<sup>-5</sup> at ten million rows) and then
 * merely cost the second pass, never a false error.
 */
final class TransactionRows implements RowSink {
  private final String bankId;
  private final KeyTable accounts;
  private final boolean checkAccounts;
  private final FlowAggregator flows;
  private final Dates dates = new Dates();
  private final Set<Long> suspects = new HashSet<>();
  private long[] fingerprints = new long[1024];
  private int ids;
  private final Problems problems;
  private int txn;
  private int ts;
  private int fromBank;
  private int fromAccount;
  private int toBank;
  private int toAccount;
  private int amount;

  /**
   * @param accounts the bank's accounts
   * @param checkAccounts whether this bank's side of a transfer should be in {@code accounts}; not
   *     when accounts.csv could not be read whole, to avoid one error per transaction
   * @param problems where the file reader records problems, to tell which rows are valid
   */
  TransactionRows(
      String bankId,
      KeyTable accounts,
      boolean checkAccounts,
      FlowAggregator flows,
      Problems problems) {
    this.bankId = bankId;
    this.accounts = accounts;
    this.checkAccounts = checkAccounts;
    this.flows = flows;
    this.problems = problems;
  }

  @Override
  public void header(RowReader file) {
    txn = file.column("txn_id");
    ts = file.column("ts");
    fromBank = file.column("from_bank");
    fromAccount = file.column("from_account");
    toBank = file.column("to_bank");
    toAccount = file.column("to_account");
    amount = file.column("amount");
  }

  @Override
  public void row(RowReader file) {
    long before = problems.count();
    String txnId = file.required(txn, "txn_id");
    long time = time(file);
    int fromTag = bank(file, fromBank, "from_bank");
    String fromId = file.required(fromAccount, "from_account");
    int toTag = bank(file, toBank, "to_bank");
    String toId = file.required(toAccount, "to_account");
    double value = amount(file);
    if (fromTag > 0 && toTag > 0) {
      file.problem(
          "from_bank/to_bank",
          "neither from_bank "
              + DataException.quote(file.get(fromBank))
              + " nor to_bank "
              + DataException.quote(file.get(toBank))
              + " is "
              + bankId);
    }
    int from = fromTag == 0 ? local(file, fromId, "from_account") : -1;
    int to = toTag == 0 ? local(file, toId, "to_account") : -1;
    if (txnId != null) {
      if (ids == fingerprints.length) {
        fingerprints = Arrays.copyOf(fingerprints, ids + (ids >> 1));
      }
      fingerprints[ids++] = fingerprint(txnId);
    }
    // An unknown local account is only a problem when accounts.csv was read whole.
    boolean known = (fromTag != 0 || from >= 0) && (toTag != 0 || to >= 0);
    if (problems.count() == before && known) {
      flows.add(fromTag, from, fromId, toTag, to, toId, value, time);
    }
  }

  /**
   * A sink for a second pass over the file that reports repeated txn ids, or {@code null} if the
   * first pass saw none; call once, after the first pass.
   */
  RowSink duplicateCheck() {
    long[] sorted = fingerprints;
    fingerprints = null;
    Arrays.sort(sorted, 0, ids);
    for (int i = 1; i < ids; i++) {
      if (sorted[i] == sorted[i - 1]) {
        suspects.add(sorted[i]);
      }
    }
    if (suspects.isEmpty()) {
      return null;
    }
    return new RowSink() {
      private final Map<String, Long> firstLine = new HashMap<>();
      private int id;

      @Override
      public void header(RowReader file) {
        id = file.column("txn_id");
      }

      @Override
      public void row(RowReader file) {
        String txnId = file.get(id);
        if (!txnId.isEmpty() && suspects.contains(fingerprint(txnId))) {
          Long line = firstLine.putIfAbsent(txnId, file.line());
          if (line != null) {
            problems.add(
                file.label(),
                file.unit(),
                file.line(),
                "txn_id",
                "duplicate txn_id, first on " + file.unit() + " " + line);
          }
        }
      }
    };
  }

  private long time(RowReader file) {
    String text = file.required(ts, "ts");
    if (text == null) {
      return Dates.BAD_TIME;
    }
    long time = dates.epochSecond(text);
    if (time == Dates.BAD_TIME) {
      file.problem("ts", DataException.quote(text) + " is not an ISO-8601 date-time");
    }
    return time;
  }

  private int bank(RowReader file, int column, String name) {
    String text = file.required(column, name);
    if (text == null) {
      return -1;
    }
    int tag = flows.bankTag(text);
    if (tag < 0) {
      file.problem(
          name, DataException.quote(text) + " is not a bank id (lower-case letters, digits, -)");
    }
    return tag;
  }

  private double amount(RowReader file) {
    String text = file.required(amount, "amount");
    if (text == null) {
      return Double.NaN;
    }
    double value = Amounts.parse(text);
    if (Double.isNaN(value)) {
      file.problem("amount", DataException.quote(text) + " is not a decimal number");
    } else if (value <= 0) {
      file.problem("amount", DataException.quote(text) + " is not positive");
    } else if (Double.isInfinite(value)) {
      file.problem("amount", DataException.quote(text) + " is too large");
    }
    return value;
  }

  private int local(RowReader file, String accountId, String name) {
    if (accountId == null) {
      return -1;
    }
    int a = accounts.find(0, accountId);
    if (a < 0 && checkAccounts) {
      file.problem(name, "no such account in " + file.nameOf(BankFile.ACCOUNTS));
    }
    return a;
  }

  /** A well-spread 64-bit hash of the id: FNV-1a over its chars, then the SplitMix64 finaliser. */
  private static long fingerprint(String id) {
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001B3L;
    }
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
