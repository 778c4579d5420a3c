package io.cleanroom.eval.policy;

/**
 * A governance policy that cannot be used, with the file, line and key at fault, e.g. {@code
 * policy.yaml, line 14: fairness.disparate_impact.min: must be between 0 and 1, got 1.5}.
 */
public final class PolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }
}
