package io.cleanroom.node.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds valid transactions, one at a time, into per-pair flows, per-account activity and per-bank
 * row counts, so that no transaction row needs to be kept.
 */
final class FlowAggregator {
  private final int accounts;
  private final List<String> banks = new ArrayList<>();
  private final Map<String, Integer> bankTags = new HashMap<>();
  private final KeyTable foreign = new KeyTable();
  private final EdgeList intra = new EdgeList();
  private final EdgeList out = new EdgeList();
  private final EdgeList in = new EdgeList();
  private final double[] figures;
  private final long[] times;
  private long[] receivedFrom = new long[4];
  private long rows;
  private long sent;

  FlowAggregator(String bankId, int accounts) {
    this.accounts = accounts;
    bankTags.put(bankId, 0);
    banks.add(bankId);
    figures = new double[accounts * Activity.FIGURES];
    times = new long[2 * accounts];
    Arrays.fill(times, Activity.NO_TIME);
  }

  /**
   * The tag of a bank id, 0 for this bank; {@code -1} if the id is malformed. Also interns the ids,
   * which appear on every one of millions of rows.
   */
  int bankTag(String bankId) {
    Integer tag = bankTags.get(bankId);
    if (tag != null) {
      return tag;
    }
    if (!BankFolder.BANK_ID.matcher(bankId).matches()) {
      return -1;
    }
    int t = banks.size();
    banks.add(bankId);
    bankTags.put(bankId, t);
    return t;
  }

  /**
   * Adds one valid transaction.
   *
   * @param fromTag the sending bank's tag
   * @param from the sending account's index if {@code fromTag} is 0, else ignored
   * @param fromId the sending account's id
   * @param toTag the receiving bank's tag
   * @param to the receiving account's index if {@code toTag} is 0, else ignored
   * @param toId the receiving account's id
   * @param amount a positive amount
   * @param time the epoch second of the transaction
   */
  void add(
      int fromTag,
      int from,
      String fromId,
      int toTag,
      int to,
      String toId,
      double amount,
      long time) {
    rows++;
    if (fromTag == 0) {
      sent++;
      tallyAccount(from, Activity.OUT_COUNT, Activity.OUT_SUM, amount, time);
    } else {
      if (fromTag >= receivedFrom.length) {
        receivedFrom = Arrays.copyOf(receivedFrom, Math.max(fromTag + 1, receivedFrom.length * 2));
      }
      receivedFrom[fromTag]++;
    }
    if (toTag == 0) {
      tallyAccount(to, Activity.IN_COUNT, Activity.IN_SUM, amount, time);
    }
    if (fromTag == 0 && toTag == 0) {
      intra.add(from, to, amount);
    } else if (fromTag == 0) {
      tallyAccount(from, Activity.CROSS_OUT_COUNT, Activity.CROSS_OUT_SUM, amount, time);
      out.add(from, foreign.add(toTag, toId), amount);
    } else {
      tallyAccount(to, Activity.CROSS_IN_COUNT, Activity.CROSS_IN_SUM, amount, time);
      in.add(to, foreign.add(fromTag, fromId), amount);
    }
  }

  private TransferTally tally() {
    return new TransferTally(
        rows, sent, banks.toArray(String[]::new), Arrays.copyOf(receivedFrom, banks.size()));
  }

  /** Sorts the flows and derives the counterparty counts; call once, after the last row. */
  Result finish() {
    foreign.trim();
    intra.sort(accounts, accounts);
    out.sort(accounts, foreign.size());
    in.sort(accounts, foreign.size());
    int[] parties = new int[2 * accounts];
    // Flows are summed per ordered pair, so each edge is one distinct counterparty.
    for (int i = 0; i < intra.size(); i++) {
      parties[2 * intra.a()[i] + 1]++;
      parties[2 * intra.b()[i]]++;
    }
    for (int i = 0; i < out.size(); i++) {
      parties[2 * out.a()[i] + 1]++;
    }
    for (int i = 0; i < in.size(); i++) {
      parties[2 * in.a()[i]]++;
    }
    String[] bankIds = banks.toArray(String[]::new);
    return new Result(
        new Flows(intra.a(), intra.b(), intra.amount(), intra.transfers()),
        cross(true, in, bankIds),
        cross(false, out, bankIds),
        new Activity(figures, times, parties),
        tally());
  }

  /** Everything aggregated from transactions.csv. */
  record Result(
      Flows flows,
      CrossBankFlows incoming,
      CrossBankFlows outgoing,
      Activity activity,
      TransferTally tally) {}

  private CrossBankFlows cross(boolean incoming, EdgeList edges, String[] bankIds) {
    return new CrossBankFlows(
        incoming, edges.a(), edges.b(), edges.amount(), edges.transfers(), foreign, bankIds);
  }

  /** Adds a transfer to one of {@code account}'s count and sum pairs, and to its time span. */
  private void tallyAccount(int account, int count, int sum, double amount, long time) {
    int base = account * Activity.FIGURES;
    figures[base + count]++;
    figures[base + sum] += amount;
    if (count == Activity.IN_COUNT || count == Activity.OUT_COUNT) {
      int t = 2 * account;
      if (times[t] == Activity.NO_TIME || time < times[t]) {
        times[t] = time;
      }
      if (time > times[t + 1]) {
        times[t + 1] = time;
      }
    }
  }
}
