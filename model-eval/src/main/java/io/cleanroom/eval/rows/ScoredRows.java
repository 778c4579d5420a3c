package io.cleanroom.eval.rows;

import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import java.util.ArrayList;
import java.util.List;

/**
 * One bank's evaluation rows: its feature rows with labels, the joint model's score of each row,
 * and each account holder's demographics, all in the same order.
 */
public record ScoredRows(FeatureRows rows, double[] scores, List<Demographics> people) {

  public ScoredRows {
    if (scores.length != rows.size() || people.size() != rows.size()) {
      throw new IllegalArgumentException(
          rows.size() + " rows, " + scores.length + " scores, " + people.size() + " people");
    }
    for (int i = 0; i < scores.length; i++) {
      if (!(scores[i] >= 0 && scores[i] <= 1)) {
        throw new IllegalArgumentException(
            "score of " + rows.accounts().get(i) + " is not in [0, 1]: " + scores[i]);
      }
    }
    scores = scores.clone();
    people = List.copyOf(people);
  }

  /** The rows scored by {@code model}; the rows must carry the model's features, in any order. */
  public static ScoredRows score(LogisticModel model, FeatureRows rows, List<Demographics> people) {
    FeatureRows ordered =
        rows.features().equals(model.features()) ? rows : rows.select(model.features());
    double[] scores = new double[ordered.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = model.score(ordered.x()[i]);
    }
    return new ScoredRows(ordered, scores, people);
  }

  public int size() {
    return scores.length;
  }

  /** Fails unless the rows carry exactly {@code features}, in that order. */
  public void requireFeatures(List<String> features) {
    if (!rows.features().equals(features)) {
      throw new IllegalArgumentException(
          "rows have features " + rows.features() + ", expected " + features);
    }
  }

  /** The rows of several banks one after another, as if one party held them all. */
  public static ScoredRows concat(List<ScoredRows> parts) {
    List<FeatureRows> rows = new ArrayList<>();
    List<Demographics> people = new ArrayList<>();
    int n = 0;
    for (ScoredRows p : parts) {
      rows.add(p.rows);
      people.addAll(p.people);
      n += p.size();
    }
    double[] scores = new double[n];
    int k = 0;
    for (ScoredRows p : parts) {
      System.arraycopy(p.scores, 0, scores, k, p.size());
      k += p.size();
    }
    return new ScoredRows(FeatureRows.concat(rows), scores, people);
  }
}
