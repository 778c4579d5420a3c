/**
 * Governance evaluation of a jointly trained fraud model: fairness, explainability, validation,
 * monitoring and data-quality evaluators whose per-bank numbers can be summed on secret shares.
 *
 * <p>Every evaluator is a {@link io.cleanroom.eval.sum.Summable}: each bank computes a vector of
 * integers on its own {@link io.cleanroom.eval.rows.ScoredRows}, the nodes add the vectors on
 * secret shares, and the metrics come from the totals alone. The coordinator checks the resulting
 * {@link io.cleanroom.eval.policy.Evidence} against the study's governance {@link
 * io.cleanroom.eval.policy.Policy} and writes the {@link
 * io.cleanroom.eval.report.GovernanceReport}.
 *
 * <ul>
 *   <li>{@code sum}: the summable-vector contract, layouts and fixed-point encoding;
 *   <li>{@code rows}: a bank's scored rows and its customers' protected attributes;
 *   <li>{@code stats}: proportions and their confidence intervals;
 *   <li>{@code fairness}: group fairness and the proxy check (article 6);
 *   <li>{@code explain}: global and per-decision explanations (article 7);
 *   <li>{@code validation}: AUC, average precision, recall at a budget, calibration (article 7);
 *   <li>{@code monitoring}: PSI and alert-rate drift between windows (articles 7, 13);
 *   <li>{@code quality}: data quality per bank (article 7);
 *   <li>{@code policy}: the YAML policy, the evidence and the verdict per article;
 *   <li>{@code report}: {@code report.json} and {@code report.html}.
 * </ul>
 */
package io.cleanroom.eval;
