package io.cleanroom.testbed.reference;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Detection metrics of a score against 0/1 labels, as scikit-learn defines them: ROC AUC (the
 * Mann–Whitney statistic, ties counted half) and average precision (Σ (R_k − R_{k−1})·P_k over
 * distinct score thresholds, from the highest down).
 */
public final class Detection {
  private Detection() {}

  public static double auc(double[] score, boolean[] label) {
    Integer[] order = order(score);
    double pos = 0;
    double neg = 0;
    for (boolean l : label) {
      if (l) {
        pos++;
      } else {
        neg++;
      }
    }
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    // ranks ascending with ties averaged
    double rankSum = 0;
    int i = 0;
    int n = score.length;
    Integer[] asc = order.clone();
    java.util.Collections.reverse(Arrays.asList(asc));
    while (i < n) {
      int j = i;
      while (j + 1 < n && score[asc[j + 1]] == score[asc[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (label[asc[k]]) {
          rankSum += rank;
        }
      }
      i = j + 1;
    }
    return (rankSum - pos * (pos + 1) / 2) / (pos * neg);
  }

  public static double averagePrecision(double[] score, boolean[] label) {
    Integer[] order = order(score);
    double pos = 0;
    for (boolean l : label) {
      if (l) {
        pos++;
      }
    }
    if (pos == 0) {
      return Double.NaN;
    }
    double ap = 0;
    double tp = 0;
    double seen = 0;
    double lastRecall = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        if (label[order[j]]) {
          tp++;
        }
        seen++;
        j++;
      }
      double recall = tp / pos;
      ap += (recall - lastRecall) * (tp / seen);
      lastRecall = recall;
      i = j;
    }
    return ap;
  }

  /** Indices by descending score. */
  private static Integer[] order(double[] score) {
    Integer[] o = new Integer[score.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = i;
    }
    Arrays.sort(o, Comparator.comparingDouble((Integer i) -> -score[i]));
    return o;
  }
}
