package io.cleanroom.eval.quality;

import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import io.cleanroom.eval.sum.Layout;
import io.cleanroom.eval.sum.Summable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts a bank's rows, missing and out-of-range feature values and missing protected attributes.
 *
 * <p>Layout {@code data_quality}: {@code rows} (1), {@code missing} (d), {@code out_of_range} (d),
 * {@code missing_demographics} (4: gender, birth_date, nationality, region). Each bank's vector is
 * reported as it is ({@link #fromTotals} of one bank's vector gives that bank's counts); summing
 * the vectors of several banks gives their combined counts.
 */
public final class DataQualityCheck implements Summable<DataQualityCounts> {

  /** The protected attributes whose absence is counted, in layout order. */
  public static final List<String> DEMOGRAPHICS =
      List.of("gender", "birth_date", "nationality", "region");

  private final List<String> features;
  private final List<FeatureRange> ranges;
  private final Layout layout;

  /** Features with the given ranges; a feature without one only has to be finite. */
  public DataQualityCheck(List<String> features, Map<String, FeatureRange> ranges) {
    this.features = List.copyOf(features);
    this.ranges = new ArrayList<>();
    for (String f : features) {
      this.ranges.add(ranges.getOrDefault(f, FeatureRange.FINITE));
    }
    this.layout =
        Layout.builder("data_quality")
            .block("rows", 1)
            .block("missing", features.size())
            .block("out_of_range", features.size())
            .block("missing_demographics", DEMOGRAPHICS.size())
            .build();
  }

  /**
   * The ranges of the joint model's features: ln1p figures ({@code log_*}) in [0, 40], shares and
   * {@code pass_through} in [0, 1], {@code linked_risk} in [0, 1].
   */
  public static DataQualityCheck standard(List<String> features) {
    Map<String, FeatureRange> ranges = new LinkedHashMap<>();
    FeatureRange unit = new FeatureRange(0, 1);
    for (String f : features) {
      if (f.startsWith("log_")) {
        ranges.put(f, new FeatureRange(0, 40));
      } else if (f.endsWith("_share") || f.equals("pass_through") || f.equals("linked_risk")) {
        ranges.put(f, unit);
      }
    }
    return new DataQualityCheck(features, ranges);
  }

  @Override
  public Layout layout() {
    return layout;
  }

  @Override
  public long[] local(ScoredRows rows) {
    rows.requireFeatures(features);
    int d = features.size();
    long[] v = layout.zeros();
    int missing = layout.offset("missing");
    int outside = layout.offset("out_of_range");
    int demographics = layout.offset("missing_demographics");
    for (int i = 0; i < rows.size(); i++) {
      v[0]++;
      double[] x = rows.rows().x()[i];
      for (int j = 0; j < d; j++) {
        if (Double.isNaN(x[j])) {
          v[missing + j]++;
        } else if (!ranges.get(j).contains(x[j])) {
          v[outside + j]++;
        }
      }
      Demographics p = rows.people().get(i);
      v[demographics] += blank(p.gender()) ? 1 : 0;
      v[demographics + 1] += p.birthDate() == null ? 1 : 0;
      v[demographics + 2] += blank(p.nationality()) ? 1 : 0;
      v[demographics + 3] += blank(p.region()) ? 1 : 0;
    }
    return v;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  @Override
  public DataQualityCounts fromTotals(long[] totals) {
    long[] missing = layout.slice(totals, "missing");
    long[] outside = layout.slice(totals, "out_of_range");
    long[] demographics = layout.slice(totals, "missing_demographics");
    List<FeatureQuality> out = new ArrayList<>();
    for (int j = 0; j < features.size(); j++) {
      out.add(new FeatureQuality(features.get(j), ranges.get(j), missing[j], outside[j]));
    }
    Map<String, Long> missingDemographics = new LinkedHashMap<>();
    for (int k = 0; k < DEMOGRAPHICS.size(); k++) {
      missingDemographics.put(DEMOGRAPHICS.get(k), demographics[k]);
    }
    return new DataQualityCounts(totals[0], out, missingDemographics);
  }
}
