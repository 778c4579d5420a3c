package io.cleanroom.eval.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.ScoredRows;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContributionStatisticTest {

  @Test
  void meanAbsoluteContribution_matchesPooledRows() {
    LogisticModel model = Synthetic.model();
    ContributionStatistic s = new ContributionStatistic(model);
    List<ScoredRows> banks = Synthetic.banks();
    GlobalExplanation g = s.fromTotals(Synthetic.sum(banks.stream().map(s::local).toList()));

    ScoredRows pooled = ScoredRows.concat(banks);
    assertEquals(pooled.size(), g.accounts());
    for (int j = 0; j < model.features().size(); j++) {
      double sum = 0;
      for (double[] x : pooled.rows().x()) {
        sum += Math.abs(model.weights()[j] * model.standardise(j, x[j]));
      }
      FeatureImportance f = g.features().get(j);
      assertEquals(sum / pooled.size(), f.meanAbsContribution(), 1e-5);
      assertEquals(model.weights()[j], f.standardisedWeight());
      assertEquals(model.weights()[j] / model.stds()[j], f.weight(), 1e-12);
    }
  }
}
