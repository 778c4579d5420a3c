/**
 * Governance policy as code: a study's YAML policy ({@link io.cleanroom.eval.policy.Policy}, read
 * by {@link io.cleanroom.eval.policy.PolicyReader}; the documented default is {@code
 * default-policy.yaml} in this package's resources) names thresholds and required evidence per
 * article of the Bankers Association's AI guidelines. {@link
 * io.cleanroom.eval.policy.PolicyEvaluator} checks the study's {@link
 * io.cleanroom.eval.policy.Evidence} against it and gives each article PASS, WARN or FAIL with the
 * numbers that decided it; any FAIL blocks the model's release.
 */
package io.cleanroom.eval.policy;
