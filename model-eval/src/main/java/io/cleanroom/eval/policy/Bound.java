package io.cleanroom.eval.policy;

import io.cleanroom.eval.stats.Interval;

/**
 * A threshold on a metric: either a lower limit ({@code min}, higher values are better) or an upper
 * limit ({@code max}, lower values are better), with an optional warning level inside the limit.
 *
 * <p>For a lower limit: FAIL below {@code min}; WARN below {@code warn}, or when the value's
 * confidence interval reaches below {@code min}; PASS otherwise. An upper limit mirrors this: FAIL
 * above {@code max}, WARN at or above {@code warn} or when the interval reaches above {@code max}.
 * So a point estimate that breaks the limit blocks release, and one that meets it only
 * inconclusively is flagged. {@link #judgeConclusive} blocks only a breach that the interval
 * establishes.
 */
public record Bound(boolean lower, double limit, Double warn) {

  public Bound {
    if (!Double.isFinite(limit)) {
      throw new IllegalArgumentException("limit must be a number");
    }
    if (warn != null && (lower ? warn < limit : warn > limit)) {
      throw new IllegalArgumentException(
          "warn "
              + warn
              + (lower ? " is below min " : " is above max ")
              + limit
              + ": the warning level must lie inside the limit");
    }
  }

  public static Bound min(double limit) {
    return new Bound(true, limit, null);
  }

  public static Bound max(double limit) {
    return new Bound(false, limit, null);
  }

  /** This bound with a warning level. */
  public Bound warnAt(double level) {
    return new Bound(lower, limit, level);
  }

  /** The verdict for a value without an interval. */
  public Verdict judge(double value) {
    return judge(value, Interval.UNDEFINED);
  }

  /** The verdict for a value and its confidence interval; WARN for NaN. */
  public Verdict judge(double value, Interval interval) {
    if (Double.isNaN(value)) {
      return Verdict.WARN;
    }
    if (lower ? value < limit : value > limit) {
      return Verdict.FAIL;
    }
    if (warn != null && (lower ? value < warn : value >= warn)) {
      return Verdict.WARN;
    }
    if (interval.isDefined() && (lower ? interval.low() < limit : interval.high() > limit)) {
      return Verdict.WARN;
    }
    return Verdict.PASS;
  }

  /**
   * The verdict when only an established breach may block: as {@link #judge(double, Interval)},
   * except that a value beyond the limit whose confidence interval reaches back to the limit is
   * WARN (inconclusive) instead of FAIL. So FAIL means that the whole interval lies beyond the
   * limit.
   *
   * <p>The fairness disparities use this: their groups are small next to the alerts a budget allows
   * (a 1% budget over 10,000 accounts flags 100), and a group of a few hundred accounts with no
   * alert gives a ratio of 0 by chance alone; with the point-estimate rule nearly every study would
   * fail on noise.
   */
  public Verdict judgeConclusive(double value, Interval interval) {
    Verdict v = judge(value, interval);
    if (v == Verdict.FAIL && !conclusive(value, interval)) {
      return Verdict.WARN;
    }
    return v;
  }

  /**
   * Whether a value beyond the limit is established at the interval's level: its interval lies
   * wholly beyond the limit, or it has none.
   */
  public boolean conclusive(double value, Interval interval) {
    return !interval.isDefined() || (lower ? interval.high() < limit : interval.low() > limit);
  }

  /** The rule as text, e.g. {@code ≥ 0.8} or {@code ≤ 0.25, warn ≥ 0.1}. */
  public String describe() {
    String rule = (lower ? "≥ " : "≤ ") + Numbers.format(limit);
    return warn == null ? rule : rule + ", warn " + (lower ? "< " : "≥ ") + Numbers.format(warn);
  }

  @Override
  public String toString() {
    return describe();
  }
}
