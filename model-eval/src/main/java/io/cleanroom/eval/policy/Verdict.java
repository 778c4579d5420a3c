package io.cleanroom.eval.policy;

/** The outcome of a check or an article, from best to worst. */
public enum Verdict {
  /** The evidence meets the policy. */
  PASS,
  /** The evidence meets the policy's limit but not its warning level, or is inconclusive. */
  WARN,
  /** The evidence breaks the policy; the model's release is blocked. */
  FAIL;

  /** The worse of this and {@code other}. */
  public Verdict and(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
