package io.cleanroom.eval.sum;

import io.cleanroom.eval.rows.ScoredRows;

/**
 * A statistic that every bank computes locally and that is summed across banks on secret shares.
 *
 * <p>The integration code calls, at every bank, {@code long[] own = statistic.local(rows)}, then
 * {@code long[] totals = SecureSum.sumAndOpen(sharing, "eval/" + statistic.layout().id(), own)},
 * and gives {@code statistic.fromTotals(totals)} to the coordinator's report. A step label may be
 * used once per study, so a statistic summed for two windows needs a suffix such as {@code
 * "/later"} on the second. The layout depends only on public parameters (feature names, groups, bin
 * counts), so every bank's vector has the same length and order; totals are element-wise sums
 * modulo 2^64, i.e. plain {@code long} addition.
 *
 * @param <R> the metrics computed from the totals
 */
public interface Summable<R> {

  /** Names and offsets of the vector's entries. */
  Layout layout();

  /** This bank's vector: counts and fixed-point sums over its own rows only. */
  long[] local(ScoredRows rows);

  /** The metrics from the element-wise sum of every bank's {@link #local} vector. */
  R fromTotals(long[] totals);
}
