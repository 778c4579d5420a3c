package io.cleanroom.eval.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The population stability index (PSI) between a training window and a later window, from the two
 * windows' summed fine histograms ({@link DistributionStatistic}).
 *
 * <p>The PSI bins are the training window's deciles: edge k is the first fine-bin edge at or below
 * which at least k/10 of the training accounts lie, so edges fall on fine-bin edges and are exact
 * for the binned data. Deciles that coincide (a value shared by more than a tenth of the accounts)
 * are merged, giving fewer than ten bins. A share of 0 counts as {@value #EMPTY_SHARE} so that the
 * logarithm stays finite.
 */
public final class StabilityIndex {
  private StabilityIndex() {}

  /** The number of PSI bins: deciles. */
  public static final int BINS = 10;

  /** The share an empty bin counts as. */
  public static final double EMPTY_SHARE = 1e-4;

  /** The PSI of every variable of {@code training}, compared with {@code later}. */
  public static StabilityReport compare(WindowDistribution training, WindowDistribution later) {
    if (!training.variables().equals(later.variables())) {
      throw new IllegalArgumentException(
          "windows have different variables: " + training.variables() + ", " + later.variables());
    }
    List<VariableStability> out = new ArrayList<>();
    for (String v : training.variables()) {
      out.add(psi(v, training.histogram(v), later.histogram(v)));
    }
    return new StabilityReport(out);
  }

  static VariableStability psi(
      String variable, WindowDistribution.Histogram expected, WindowDistribution.Histogram actual) {
    long[] e = expected.counts();
    long[] a = actual.counts();
    if (e.length != a.length
        || expected.low() != actual.low()
        || expected.high() != actual.high()) {
      throw new IllegalArgumentException(variable + ": histograms have different bins");
    }
    long expectedTotal = expected.total();
    long actualTotal = actual.total();
    if (expectedTotal == 0 || actualTotal == 0) {
      throw new IllegalArgumentException(variable + ": a window has no accounts");
    }
    int[] edges = decileEdges(e, expectedTotal);
    List<PsiBin> bins = new ArrayList<>();
    double psi = 0;
    for (int k = 0; k + 1 < edges.length; k++) {
      long ec = 0;
      long ac = 0;
      for (int b = edges[k]; b < edges[k + 1]; b++) {
        ec += e[b];
        ac += a[b];
      }
      double es = (double) ec / expectedTotal;
      double as = (double) ac / actualTotal;
      double ef = Math.max(es, EMPTY_SHARE);
      double af = Math.max(as, EMPTY_SHARE);
      psi += (af - ef) * Math.log(af / ef);
      bins.add(new PsiBin(expected.edge(edges[k]), expected.edge(edges[k + 1]), es, as));
    }
    return new VariableStability(variable, psi, bins);
  }

  /** Fine-bin indices 0 = e_0 < e_1 < … < e_m = B of the deciles of {@code counts}. */
  static int[] decileEdges(long[] counts, long total) {
    TreeSet<Integer> edges = new TreeSet<>();
    edges.add(0);
    edges.add(counts.length);
    long below = 0;
    int k = 1;
    for (int b = 0; b < counts.length && k < BINS; b++) {
      below += counts[b];
      while (k < BINS && below * BINS >= k * total) {
        edges.add(b + 1);
        k++;
      }
    }
    return edges.stream().mapToInt(Integer::intValue).toArray();
  }
}
