package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes every bank's transactions.csv in one pass, in time order. Ordinary transfers are drawn a
 * day at a time and merged with the planted ones, so memory does not grow with the number of
 * transactions. Transaction ids count up in time order over all banks; a transfer between two banks
 * is formatted once and written to both files.
 */
final class TransactionFiles {
  private static final int ID_WIDTH = 9;

  private final BankLayout layout;
  private final CsvOut[] out;
  private final String[] dates = Window.dates();
  private final CsvLine line = new CsvLine();
  private long written;
  private long crossBank;

  private TransactionFiles(BankLayout layout, CsvOut[] out) {
    this.layout = layout;
    this.out = out;
  }

  /** What was written: distinct transfers, and those among them between two banks. */
  record Counts(long transactions, long crossBank) {}

  static Counts write(
      Path root, BankLayout layout, Payments payments, List<Transfer> planted, SplittableRandom rng)
      throws IOException {
    CsvOut[] out = new CsvOut[layout.banks()];
    try {
      for (int b = 0; b < out.length; b++) {
        out[b] =
            CsvOut.open(
                root.resolve(BankLayout.bankId(b)).resolve(BankFile.TRANSACTIONS.fileName()),
                BankFile.TRANSACTIONS.columns());
      }
      TransactionFiles files = new TransactionFiles(layout, out);
      files.writeAll(payments, planted, rng);
      return new Counts(files.written, files.crossBank);
    } finally {
      IOException failure = null;
      for (CsvOut w : out) {
        try {
          if (w != null) {
            w.close();
          }
        } catch (IOException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private void writeAll(Payments payments, List<Transfer> planted, SplittableRandom rng)
      throws IOException {
    DayBatch batch = new DayBatch();
    int next = 0;
    for (int d = 0; d < Window.DAYS; d++) {
      batch.clear();
      payments.day(d, batch, rng);
      batch.sort();
      for (int i = 0; i < batch.size(); i++) {
        int second = batch.second(i);
        for (; next < planted.size() && planted.get(next).second() <= second; next++) {
          Transfer t = planted.get(next);
          emit(t.second(), t.from(), t.to(), t.cents());
        }
        emit(second, batch.from(i), batch.to(i), batch.cents(i));
      }
    }
    for (; next < planted.size(); next++) {
      Transfer t = planted.get(next);
      emit(t.second(), t.from(), t.to(), t.cents());
    }
  }

  private void emit(int second, int from, int to, long cents) throws IOException {
    int fromBank = layout.bankOf(from);
    int toBank = layout.bankOf(to);
    line.reset().id('T', ++written, ID_WIDTH).comma();
    line.timestamp(dates, second).comma();
    line.text(BankLayout.bankId(fromBank)).comma();
    layout.accountId(line, from).comma();
    line.text(BankLayout.bankId(toBank)).comma();
    layout.accountId(line, to).comma();
    line.amount(cents).end();
    out[fromBank].write(line);
    if (toBank != fromBank) {
      out[toBank].write(line);
      crossBank++;
    }
  }
}
