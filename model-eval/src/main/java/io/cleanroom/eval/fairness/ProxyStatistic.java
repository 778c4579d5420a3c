package io.cleanroom.eval.fairness;

import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.sum.Layout;
import io.cleanroom.eval.sum.Scale;
import io.cleanroom.eval.sum.Summable;
import java.util.ArrayList;
import java.util.List;

/**
 * The sums behind Pearson's correlation of each model input z_j (the standardised, clipped feature
 * the model sees) with each protected group's indicator a_g: n, Σz_j, Σz_j², Σa_g and Σz_j·a_g (for
 * an indicator Σa² = Σa). Summed across banks; z values in fixed point ({@link Scale}).
 *
 * <p>Layout {@code proxy}: {@code n} (1), {@code sum_z} (d), {@code sum_z2} (d), {@code
 * group_count} (G), {@code sum_z_in_group} (d·G, feature-major), where G counts the groups of every
 * attribute in order. Groups with fewer members than the cell-size floor are left out of the
 * result, since Σz·a over a handful of accounts would describe those accounts.
 */
public final class ProxyStatistic implements Summable<ProxyCorrelations> {

  private final LogisticModel model;
  private final List<ProtectedAttribute> attributes;
  private final int cellFloor;
  private final int groupCount;
  private final Layout layout;

  public ProxyStatistic(LogisticModel model, List<ProtectedAttribute> attributes, int cellFloor) {
    ProtectedAttribute.requireDistinct(attributes);
    if (cellFloor < 1) {
      throw new IllegalArgumentException("cell-size floor must be at least 1, got " + cellFloor);
    }
    this.model = model;
    this.attributes = List.copyOf(attributes);
    this.cellFloor = cellFloor;
    this.groupCount = attributes.stream().mapToInt(a -> a.groups().size()).sum();
    int d = model.features().size();
    this.layout =
        Layout.builder("proxy")
            .block("n", 1)
            .block("sum_z", d)
            .block("sum_z2", d)
            .block("group_count", groupCount)
            .block("sum_z_in_group", d * groupCount)
            .build();
  }

  @Override
  public Layout layout() {
    return layout;
  }

  @Override
  public long[] local(ScoredRows rows) {
    rows.requireFeatures(model.features());
    int d = model.features().size();
    long[] v = layout.zeros();
    int sumZ = layout.offset("sum_z");
    int sumZ2 = layout.offset("sum_z2");
    int count = layout.offset("group_count");
    int sumZa = layout.offset("sum_z_in_group");
    int[] member = new int[attributes.size()];
    long[] z = new long[d];
    for (int i = 0; i < rows.size(); i++) {
      v[0]++;
      double[] x = rows.rows().x()[i];
      for (int j = 0; j < d; j++) {
        double zj = model.standardise(j, x[j]);
        z[j] = Scale.encode(zj);
        v[sumZ + j] += z[j];
        v[sumZ2 + j] += Scale.encode(zj * zj);
      }
      int base = 0;
      for (int k = 0; k < attributes.size(); k++) {
        member[k] = base + attributes.get(k).group(rows.people().get(i));
        base += attributes.get(k).groups().size();
        v[count + member[k]]++;
      }
      for (int j = 0; j < d; j++) {
        for (int g : member) {
          v[sumZa + j * groupCount + g] += z[j];
        }
      }
    }
    return v;
  }

  @Override
  public ProxyCorrelations fromTotals(long[] totals) {
    layout.requireSize(totals);
    double n = totals[0];
    int d = model.features().size();
    long[] sumZ = layout.slice(totals, "sum_z");
    long[] sumZ2 = layout.slice(totals, "sum_z2");
    long[] count = layout.slice(totals, "group_count");
    long[] sumZa = layout.slice(totals, "sum_z_in_group");
    List<Correlation> out = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      double sz = Scale.decode(sumZ[j]);
      double varZ = n * Scale.decode(sumZ2[j]) - sz * sz;
      int g = 0;
      for (ProtectedAttribute a : attributes) {
        for (String group : a.groups()) {
          double sa = count[g];
          if (sa >= cellFloor) {
            double cov = n * Scale.decode(sumZa[j * groupCount + g]) - sz * sa;
            double varA = n * sa - sa * sa;
            double r = varZ > 0 && varA > 0 ? cov / Math.sqrt(varZ * varA) : Double.NaN;
            out.add(new Correlation(model.features().get(j), a.name(), group, clamp(r)));
          }
          g++;
        }
      }
    }
    return new ProxyCorrelations(out);
  }

  /** Keeps fixed-point rounding from pushing |r| past 1. */
  private static double clamp(double r) {
    return Double.isNaN(r) ? r : Math.max(-1, Math.min(1, r));
  }
}
