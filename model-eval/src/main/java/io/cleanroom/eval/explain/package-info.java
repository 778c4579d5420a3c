/**
 * Explanations of the joint logistic model (article 7). The model is linear in its standardised
 * inputs z_j, so feature j's contribution to an account's log-odds is exactly w_j·z_j = w_j·(x_j −
 * mean_j)/std_j (inside the clipping range), with the training means from the secure sums as the
 * reference point; this is the exact SHAP value for independent features, and the contributions add
 * up to logit − intercept. Sampling explainers such as Tribuo's LIME would only approximate these
 * numbers and are not used.
 *
 * <p>Globally, {@link io.cleanroom.eval.explain.ContributionStatistic} sums |w_j·z_j| across banks.
 * Per decision, {@link io.cleanroom.eval.explain.DecisionExplainer} runs at the bank that owns the
 * account and gives the top reasons in Chinese and English ({@link
 * io.cleanroom.eval.explain.ReasonTexts}); {@link io.cleanroom.eval.explain.ExplanationsCsv} writes
 * them for the bank's flagged accounts. Per-decision explanations never leave the bank.
 */
package io.cleanroom.eval.explain;
