package io.cleanroom.eval.fairness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.ScoredRows;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyStatisticTest {

  @Test
  void correlations_matchPearsonOnPooledRows() {
    LogisticModel model = Synthetic.model();
    List<ProtectedAttribute> attributes = Synthetic.attributes();
    ProxyStatistic s = new ProxyStatistic(model, attributes, 10);
    List<ScoredRows> banks = Synthetic.banks();
    ProxyCorrelations result = s.fromTotals(Synthetic.sum(banks.stream().map(s::local).toList()));

    ScoredRows pooled = ScoredRows.concat(banks);
    ProtectedAttribute gender = attributes.get(0);
    double[] z = new double[pooled.size()];
    double[] a = new double[pooled.size()];
    for (int i = 0; i < z.length; i++) {
      z[i] = model.standardise(0, pooled.rows().x()[i][0]);
      a[i] = gender.group(pooled.people().get(i)) == 1 ? 1 : 0;
    }
    Correlation c = find(result, "log_in_amount", "gender", "M");
    assertEquals(pearson(z, a), c.r(), 1e-5);
    // The synthetic data shift log_in_amount for gender M.
    assertEquals(result.strongest(), c);
  }

  @Test
  void groupsBelowFloor_areLeftOut() {
    ProxyStatistic s = new ProxyStatistic(Synthetic.model(), Synthetic.attributes(), 10_000);
    ProxyCorrelations result = s.fromTotals(s.local(Synthetic.banks().get(0)));
    assertEquals(List.of(), result.correlations());
  }

  @Test
  void constantInput_hasUndefinedCorrelation() {
    LogisticModel m = Synthetic.model();
    LogisticModel constant =
        new LogisticModel(
            m.features(), m.means(), new double[] {0, 0.25, 0.2, 0.1}, 3, m.weights(), 0);
    ProxyStatistic s = new ProxyStatistic(constant, Synthetic.attributes(), 10);
    Correlation c =
        find(s.fromTotals(s.local(Synthetic.banks().get(0))), "log_in_amount", "gender", "F");
    assertTrue(Double.isNaN(c.r()));
  }

  private static Correlation find(ProxyCorrelations p, String f, String attribute, String group) {
    return p.correlations().stream()
        .filter(
            c ->
                c.feature().equals(f) && c.attribute().equals(attribute) && c.group().equals(group))
        .findFirst()
        .orElseThrow();
  }

  private static double pearson(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
