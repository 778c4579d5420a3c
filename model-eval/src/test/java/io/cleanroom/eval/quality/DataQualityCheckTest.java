package io.cleanroom.eval.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cleanroom.eval.Synthetic;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataQualityCheckTest {

  @Test
  void countsMissingAndOutOfRange() {
    double nan = Double.NaN;
    FeatureRows rows =
        new FeatureRows(
            Synthetic.FEATURES,
            List.of("a", "b", "c"),
            new double[][] {
              {nan, 0.5, 1.00005, -0.00002},
              {41, nan, 1.2, 0.5},
              {Double.POSITIVE_INFINITY, -0.1, 0.3, nan}
            },
            new int[] {0, 1, 0});
    List<Demographics> people =
        List.of(
            new Demographics("F", LocalDate.of(1990, 1, 1), "TW", "Taipei"),
            new Demographics(" ", null, "TW", ""),
            new Demographics("M", LocalDate.of(1980, 1, 1), null, null));
    ScoredRows scored = new ScoredRows(rows, new double[] {0.1, 0.2, 0.3}, people);
    DataQualityCheck check = DataQualityCheck.standard(Synthetic.FEATURES);

    long[] v = check.local(scored);
    // rows; missing per feature; out of range per feature; missing demographics.
    assertArrayEquals(new long[] {3, 1, 1, 0, 1, 2, 1, 1, 0, 1, 1, 1, 2}, v);

    DataQualityCounts c = check.fromTotals(v);
    assertEquals(3, c.rows());
    assertEquals("log_in_amount", c.mostOutOfRange().feature());
    assertEquals(new FeatureRange(0, 40), c.features().get(0).range());
    assertEquals(
        List.of("gender", "birth_date", "nationality", "region"),
        List.copyOf(c.missingDemographics().keySet()));
  }

  @Test
  void unknownFeature_onlyNeedsToBeFinite() {
    DataQualityCheck check = DataQualityCheck.standard(List.of("night_logins"));
    assertEquals(
        FeatureRange.FINITE, check.fromTotals(check.layout().zeros()).features().get(0).range());
  }
}
