package io.cleanroom.eval.policy;

import io.cleanroom.eval.stats.Interval;

/**
 * One check of the evidence against the policy.
 *
 * @param id a stable identifier, {@code <article>.<topic>[.<subject>]}, e.g. {@code
 *     6.gender.disparate_impact}; audit tooling may rely on it
 * @param value the number that decided the verdict, NaN when the check is not numeric
 * @param interval the value's confidence interval, {@link Interval#UNDEFINED} when none
 * @param rule the policy's rule, e.g. {@code ≥ 0.8}
 * @param detail what was found, in words and numbers
 */
public record Check(
    String id, Verdict verdict, double value, Interval interval, String rule, String detail) {

  static Check of(String id, Verdict verdict, String rule, String detail) {
    return new Check(id, verdict, Double.NaN, Interval.UNDEFINED, rule, detail);
  }

  /** A FAIL for evidence the policy needs and the study did not provide. */
  static Check missing(String id, String what) {
    return of(id, Verdict.FAIL, what + " required", "no " + what);
  }
}
