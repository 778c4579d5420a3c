package io.cleanroom.eval.monitoring;

import io.cleanroom.eval.fairness.AttributeFairness;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.GroupMetrics;
import io.cleanroom.eval.stats.Confidence;
import io.cleanroom.eval.stats.Estimate;
import java.util.ArrayList;
import java.util.List;

/**
 * The drift of each protected group's alert rate between two windows, from the fairness results of
 * the training window and of a later window (computed with the same attributes and threshold; a
 * later window needs no labels for alert rates). Groups suppressed in either window are left out.
 */
public final class AlertRateDrift {
  private AlertRateDrift() {}

  public static List<GroupDrift> compare(
      FairnessResult training, FairnessResult later, Confidence confidence) {
    if (training.alertThreshold() != later.alertThreshold()) {
      throw new IllegalArgumentException(
          "windows use alert thresholds "
              + training.alertThreshold()
              + " and "
              + later.alertThreshold());
    }
    List<GroupDrift> out = new ArrayList<>();
    for (AttributeFairness t : training.attributes()) {
      AttributeFairness l = later.attribute(t.attribute());
      for (GroupMetrics tg : t.groups()) {
        GroupMetrics lg = group(l, tg.group());
        if (tg.suppressed() || lg.suppressed()) {
          continue;
        }
        Estimate ratio = lg.alertRate().over(tg.alertRate(), confidence);
        out.add(
            new GroupDrift(
                t.attribute(),
                tg.group(),
                tg.alertRate(),
                lg.alertRate(),
                ratio,
                change(tg.alertRate().events(), lg.alertRate().events(), ratio.value())));
      }
    }
    return out;
  }

  private static double change(long trainingAlerts, long laterAlerts, double ratio) {
    if (trainingAlerts == 0 || laterAlerts == 0) {
      return trainingAlerts == laterAlerts ? 1 : Double.POSITIVE_INFINITY;
    }
    return Math.max(ratio, 1 / ratio);
  }

  private static GroupMetrics group(AttributeFairness a, String name) {
    for (GroupMetrics g : a.groups()) {
      if (g.group().equals(name)) {
        return g;
      }
    }
    throw new IllegalArgumentException("later window has no group " + a.attribute() + "=" + name);
  }
}
