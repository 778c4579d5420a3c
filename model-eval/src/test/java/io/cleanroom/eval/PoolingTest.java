package io.cleanroom.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cleanroom.eval.explain.ContributionStatistic;
import io.cleanroom.eval.fairness.FairnessStatistic;
import io.cleanroom.eval.fairness.ProxyStatistic;
import io.cleanroom.eval.monitoring.DistributionStatistic;
import io.cleanroom.eval.quality.DataQualityCheck;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.sum.Summable;
import io.cleanroom.eval.validation.ScoreHistogram;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every evaluator's local vectors of three banks, added as the secure sum adds them, equal the
 * vector of one party holding the pooled rows; since the metrics are a function of the totals
 * alone, they are those of the pooled rows. Each evaluator's own tests check its metrics against a
 * direct computation on the pooled rows.
 */
class PoolingTest {

  static Stream<Summable<?>> statistics() {
    var attributes = Synthetic.attributes();
    var model = Synthetic.model();
    return Stream.of(
        new FairnessStatistic(attributes, 0.3, 10, new Confidence(0.95)),
        new ProxyStatistic(model, attributes, 10),
        new ContributionStatistic(model),
        new ScoreHistogram(ScoreHistogram.DEFAULT_BINS, 0.05, new Confidence(0.95)),
        new DistributionStatistic(model, DistributionStatistic.DEFAULT_BINS),
        DataQualityCheck.standard(Synthetic.FEATURES));
  }

  @ParameterizedTest
  @MethodSource("statistics")
  void sumOfBanks_equalsPooledRows(Summable<?> statistic) {
    List<ScoredRows> banks = Synthetic.banks();
    List<long[]> local = banks.stream().map(statistic::local).toList();
    long[] pooled = statistic.local(ScoredRows.concat(banks));

    for (long[] v : local) {
      assertEquals(statistic.layout().size(), v.length);
    }
    assertArrayEquals(pooled, Synthetic.sum(local));
  }
}
