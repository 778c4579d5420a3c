package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.RowTriples;
import java.util.List;

/**
 * A constant block of rows whose owners hold them in plaintext (horizontally partitioned data: each
 * party owns some rows), masked once so that many products with shared vectors are cheap, as in
 * mini-batch gradient descent. Obtained from {@link #mask}.
 *
 * <p><b>Masking</b> (once per {@code maskStep}). Each owner q takes its {@link
 * CorrelatedRandomness#ownerMask} A_q, known in full to q and the dealer only, and sends E_q = X_q
 * − A_q to every other party (one round, rows_q·cols elements to each). E is uniform to everyone
 * but q. The sharing [A] in which q holds A_q and every other party zero is a sharing of the mask,
 * and X = E + [A]: the rows are thereby secret-shared without a separate input step. This is the
 * precomputed masked data matrix of Mohassel and Zhang 2017 ("SecureML", §4.2), with the owner of
 * each row as the holder of its mask; the dealer is the one that knows every mask, which the trust
 * model's non-colluding coordinator allows.
 *
 * <p><b>Products</b> (per call, named by {@code step}). For y = X·w (w over columns) the dealer
 * supplies shares of a column mask b and of c = A·b; the parties open D = w − b (cols elements) and
 * hold E·D (party 0 only) + E·[b] + [A]·D + [c]. For g = Xᵀ·e (e over rows) the roles swap: a row
 * mask b, c = Aᵀ·b, and D = e − b is opened (rows elements). Results are at the product of the
 * operands' scales, not truncated: callers truncate once to the scale they need. One round each.
 * What each party learns: E once and D per product, all uniform; the row counts are public.
 *
 * <p>Requires every exact result to be below 2^62 in absolute value. Not thread-safe.
 */
public final class MaskedRows {

  private final Arithmetic arith;
  private final String maskStep;
  private final int[] rowsByOwner;
  private final int cols;
  private final int rows;
  private final long[] opened;
  private final long[] ownMask;
  private final int ownFrom;
  private final int ownRows;

  private MaskedRows(
      Arithmetic arith,
      String maskStep,
      int[] rowsByOwner,
      int cols,
      long[] opened,
      long[] ownMask,
      int ownFrom) {
    this.arith = arith;
    this.maskStep = maskStep;
    this.rowsByOwner = rowsByOwner.clone();
    this.cols = cols;
    this.opened = opened;
    this.ownMask = ownMask;
    this.ownFrom = ownFrom;
    this.ownRows = rowsByOwner[arith.transport().selfIndex()];
    int r = 0;
    for (int n : rowsByOwner) {
      r += n;
    }
    this.rows = r;
  }

  /**
   * Masks a block of rows stacked by owner in party order.
   *
   * @param rowsByOwner each party's number of rows in the block (public)
   * @param cols the number of columns
   * @param ownRows this party's rows, row-major, encoded in the ring ({@code rowsByOwner[self] ·
   *     cols} elements)
   */
  public static MaskedRows mask(
      Arithmetic arith, String maskStep, int[] rowsByOwner, int cols, long[] ownRows) {
    List<String> parties = arith.transport().parties();
    int self = arith.transport().selfIndex();
    if (rowsByOwner.length != parties.size()) {
      throw new IllegalArgumentException(
          "row counts for " + rowsByOwner.length + " owners, the study has " + parties.size());
    }
    if (cols < 1) {
      throw new IllegalArgumentException("a row block has at least one column, got " + cols);
    }
    Arithmetic.requireSameLength(Math.multiplyExact(rowsByOwner[self], cols), ownRows.length);
    long[] a = arith.dealer().ownerMask(maskStep, rowsByOwner[self], cols);
    Arithmetic.requireDealt(a, ownRows.length, "owner mask", maskStep);
    int total = 0;
    for (int n : rowsByOwner) {
      if (n < 0) {
        throw new IllegalArgumentException("negative row count " + n);
      }
      total = Math.addExact(total, n);
    }
    long[] opened = new long[Math.multiplyExact(total, cols)];
    int from = 0;
    int ownFrom = 0;
    for (int q = 0; q < parties.size(); q++) {
      int n = rowsByOwner[q] * cols;
      long[] e = null;
      if (q == self) {
        e = new long[n];
        for (int i = 0; i < n; i++) {
          e[i] = ownRows[i] - a[i];
        }
        ownFrom = from / cols;
      }
      if (n > 0) {
        e = arith.publish(maskStep + "/" + parties.get(q), parties.get(q), e, n);
        System.arraycopy(e, 0, opened, from, n);
      }
      from += n;
    }
    return new MaskedRows(arith, maskStep, rowsByOwner, cols, opened, a, ownFrom);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Announces to {@code r} the randomness {@link #timesRaw} with {@code step} will ask for. */
  public void announceTimes(CorrelatedRandomness r, String step) {
    r.rowTriples(maskStep, step, rowsByOwner, cols, false);
  }

  /** Announces the randomness {@link #transposeTimesRaw} with {@code step} will ask for. */
  public void announceTransposeTimes(CorrelatedRandomness r, String step) {
    r.rowTriples(maskStep, step, rowsByOwner, cols, true);
  }

  /** Shares of X·w, one per row, at the scale of X times the scale of w (not truncated). */
  public long[] timesRaw(String step, long[] w) {
    Arithmetic.requireSameLength(cols, w.length);
    RowTriples t = arith.dealer().rowTriples(maskStep, step, rowsByOwner, cols, false);
    Arithmetic.requireDealt(t.b(), cols, "row triple masks", step);
    Arithmetic.requireDealt(t.c(), rows, "row triple products", step);
    long[] masked = new long[cols];
    for (int j = 0; j < cols; j++) {
      masked[j] = w[j] - t.b()[j];
    }
    long[] d = arith.open(step, masked);
    boolean leader = arith.isLeader();
    long[] y = new long[rows];
    long[] b = t.b();
    for (int i = 0; i < rows; i++) {
      int base = i * cols;
      long acc = t.c()[i];
      for (int j = 0; j < cols; j++) {
        long e = opened[base + j];
        acc += leader ? e * (b[j] + d[j]) : e * b[j];
      }
      y[i] = acc;
    }
    for (int i = 0; i < ownRows; i++) {
      int base = i * cols;
      long acc = 0;
      for (int j = 0; j < cols; j++) {
        acc += ownMask[base + j] * d[j];
      }
      y[ownFrom + i] += acc;
    }
    return y;
  }

  /** Shares of Xᵀ·e, one per column, at the scale of X times the scale of e (not truncated). */
  public long[] transposeTimesRaw(String step, long[] e) {
    Arithmetic.requireSameLength(rows, e.length);
    RowTriples t = arith.dealer().rowTriples(maskStep, step, rowsByOwner, cols, true);
    Arithmetic.requireDealt(t.b(), rows, "row triple masks", step);
    Arithmetic.requireDealt(t.c(), cols, "row triple products", step);
    long[] masked = new long[rows];
    for (int i = 0; i < rows; i++) {
      masked[i] = e[i] - t.b()[i];
    }
    long[] d = arith.open(step, masked);
    boolean leader = arith.isLeader();
    long[] g = t.c().clone();
    long[] b = t.b();
    for (int i = 0; i < rows; i++) {
      int base = i * cols;
      long f = leader ? b[i] + d[i] : b[i];
      for (int j = 0; j < cols; j++) {
        g[j] += opened[base + j] * f;
      }
    }
    for (int i = 0; i < ownRows; i++) {
      int base = i * cols;
      long di = d[ownFrom + i];
      for (int j = 0; j < cols; j++) {
        g[j] += ownMask[base + j] * di;
      }
    }
    return g;
  }
}
