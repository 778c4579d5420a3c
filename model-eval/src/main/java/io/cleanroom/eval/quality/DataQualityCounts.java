package io.cleanroom.eval.quality;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bank's data-quality counts.
 *
 * @param rows the bank's evaluation rows
 * @param features per feature, in model order
 * @param missingDemographics per protected attribute ({@code gender}, {@code birth_date}, {@code
 *     nationality}, {@code region}), the holders without a value
 */
public record DataQualityCounts(
    long rows, List<FeatureQuality> features, Map<String, Long> missingDemographics) {

  public DataQualityCounts {
    features = List.copyOf(features);
    missingDemographics = Collections.unmodifiableMap(new LinkedHashMap<>(missingDemographics));
  }

  /** The feature with the largest count of missing values, or null without features. */
  public FeatureQuality mostMissing() {
    FeatureQuality worst = null;
    for (FeatureQuality f : features) {
      if (worst == null || f.missing() > worst.missing()) {
        worst = f;
      }
    }
    return worst;
  }

  /** The feature with the largest count of out-of-range values, or null without features. */
  public FeatureQuality mostOutOfRange() {
    FeatureQuality worst = null;
    for (FeatureQuality f : features) {
      if (worst == null || f.outOfRange() > worst.outOfRange()) {
        worst = f;
      }
    }
    return worst;
  }
}
