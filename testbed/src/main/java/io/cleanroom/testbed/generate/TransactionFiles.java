package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes every bank's transactions.csv in one pass, in time order. Ordinary transfers are drawn on
 * the fly with increasing timestamps and merged with the planted ring transfers, so memory does not
 * grow with the number of transactions.
 */
final class TransactionFiles {
  private static final int PER_ACCOUNT = 5;
  private static final double CROSS_BANK = 0.30;
  private static final int ID_WIDTH = 9;

  private final BankLayout layout;
  private final Writer[] out;
  private final String[] dayStrings;
  private final StringBuilder line = new StringBuilder(128);
  private long written;
  private long crossBank;

  private TransactionFiles(BankLayout layout, Writer[] out, String[] dayStrings) {
    this.layout = layout;
    this.out = out;
    this.dayStrings = dayStrings;
  }

  /** What was written: distinct transfers, and those among them between two banks. */
  record Counts(long transactions, long crossBank) {}

  /** Writes about {@value #PER_ACCOUNT} transfers per account, ring transfers included. */
  static Counts write(
      Path root, BankLayout layout, List<Transfer> planted, int windowDays, SplittableRandom rng)
      throws IOException {
    String[] days = new String[windowDays];
    for (int d = 0; d < windowDays; d++) {
      days[d] = CsvOut.date(SimpleGenerator.START.toEpochDay() + d);
    }
    Writer[] out = new Writer[layout.banks()];
    try {
      for (int b = 0; b < out.length; b++) {
        out[b] =
            CsvOut.open(
                root.resolve(BankLayout.bankId(b)).resolve(BankFile.TRANSACTIONS.fileName()),
                BankFile.TRANSACTIONS.columns());
      }
      TransactionFiles files = new TransactionFiles(layout, out, days);
      files.writeAll(planted, windowDays * 86_400, rng);
      return new Counts(files.written, files.crossBank);
    } finally {
      IOException failure = null;
      for (Writer w : out) {
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

  private void writeAll(List<Transfer> planted, int windowSeconds, SplittableRandom rng)
      throws IOException {
    long ordinary = Math.max(0, (long) PER_ACCOUNT * layout.total() - planted.size());
    int next = 0;
    // Ascending order statistics of `ordinary` uniform draws, one at a time: the minimum of the
    // n draws still to come, over what is left of the unit interval, is 1 - U^(1/n) of it.
    double position = 0;
    for (long i = 0; i < ordinary; i++) {
      double u = 1.0 - rng.nextDouble();
      position = 1.0 - (1.0 - position) * StrictMath.pow(u, 1.0 / (ordinary - i));
      int second = Math.min(windowSeconds - 1, (int) (position * windowSeconds));
      while (next < planted.size() && planted.get(next).second() <= second) {
        emit(planted.get(next++));
      }
      emit(ordinary(second, rng));
    }
    while (next < planted.size()) {
      emit(planted.get(next++));
    }
  }

  private Transfer ordinary(int second, SplittableRandom rng) {
    int from = layout.randomAccount(rng);
    int bank = layout.bankOf(from);
    int to =
        rng.nextDouble() < CROSS_BANK
            ? layout.randomAccountOutside(bank, rng)
            : layout.randomAccountAt(bank, from, rng);
    return new Transfer(second, from, to, Draw.logNormalCents(rng, 2_500, 1.1, 100, 200_000_000));
  }

  private void emit(Transfer t) throws IOException {
    int fromBank = layout.bankOf(t.from());
    int toBank = layout.bankOf(t.to());
    line.setLength(0);
    CsvOut.id(line, 'T', ++written, ID_WIDTH).append(',');
    CsvOut.timestamp(line, dayStrings, t.second()).append(',');
    line.append(BankLayout.bankId(fromBank)).append(',');
    CsvOut.id(line, 'A', t.from() - layout.offset(fromBank) + 1L, 6).append(',');
    line.append(BankLayout.bankId(toBank)).append(',');
    CsvOut.id(line, 'A', t.to() - layout.offset(toBank) + 1L, 6).append(',');
    CsvOut.amount(line, t.cents()).append('\n');
    String text = line.toString();
    out[fromBank].write(text);
    if (toBank != fromBank) {
      out[toBank].write(text);
      crossBank++;
    }
  }
}
