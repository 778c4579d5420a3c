package io.cleanroom.eval;

import io.cleanroom.eval.fairness.ProtectedAttribute;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.rows.Demographics;
import io.cleanroom.eval.rows.ScoredRows;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small synthetic banks for tests: rows, labels drawn from a known model, and demographics. */
public final class Synthetic {
  private Synthetic() {}

  public static final List<String> FEATURES =
      List.of("log_in_amount", "pass_through", "cross_bank_in_share", "linked_risk");

  public static final LocalDate REFERENCE = LocalDate.of(2024, 12, 31);

  public static final List<String> REGIONS = List.of("Taipei", "Taichung", "Kaohsiung");

  private static final String[] REGION_VALUES = {"Taipei", "Taichung", "Kaohsiung", "Hualien", ""};

  /** A model over {@link #FEATURES} with winsorize 3. */
  public static LogisticModel model() {
    return new LogisticModel(
        FEATURES,
        new double[] {9, 0.4, 0.3, 0.05},
        new double[] {2, 0.25, 0.2, 0.1},
        3,
        new double[] {0.8, 1.1, -0.4, 1.6},
        -2.5);
  }

  public static List<ProtectedAttribute> attributes() {
    return ProtectedAttribute.standard(REFERENCE, REGIONS);
  }

  /** Three banks of 400, 250 and 150 accounts, scored by {@link #model}. */
  public static List<ScoredRows> banks() {
    return List.of(bank(1, "a", 400), bank(2, "b", 250), bank(3, "c", 150));
  }

  /** One bank's rows; labels follow the model's probability, shifted for two groups. */
  public static ScoredRows bank(long seed, String bank, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    LogisticModel model = model();
    List<String> ids = new ArrayList<>();
    double[][] x = new double[n][];
    int[] y = new int[n];
    List<Demographics> people = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(bank + "-" + i);
      String gender = r.nextDouble() < 0.04 ? "X" : r.nextBoolean() ? "F" : "M";
      LocalDate birth = LocalDate.of(1935 + r.nextInt(70), 1 + r.nextInt(12), 1 + r.nextInt(28));
      String nationality = r.nextDouble() < 0.85 ? "TW" : r.nextBoolean() ? "VN" : "ph";
      String region = REGION_VALUES[r.nextInt(REGION_VALUES.length)];
      double shift = gender.equals("M") ? 1.5 : 0;
      x[i] =
          new double[] {
            9 + 2 * r.nextGaussian() + shift,
            r.nextDouble(),
            r.nextDouble() < 0.3 ? 0 : r.nextDouble() * 0.8,
            Math.max(0, 0.05 + 0.1 * r.nextGaussian())
          };
      y[i] = r.nextDouble() < model.score(x[i]) ? 1 : 0;
      people.add(new Demographics(gender, birth, nationality, region.isEmpty() ? null : region));
    }
    return ScoredRows.score(model, new FeatureRows(FEATURES, ids, x, y), people);
  }

  /** Element-wise sum, modulo 2^64, as the secure sum computes it. */
  public static long[] sum(List<long[]> vectors) {
    long[] out = new long[vectors.get(0).length];
    for (long[] v : vectors) {
      for (int i = 0; i < out.length; i++) {
        out[i] += v[i];
      }
    }
    return out;
  }
}
