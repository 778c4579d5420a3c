/**
 * The shape every governance evaluator shares: a {@link io.cleanroom.eval.sum.Summable} statistic
 * that each bank computes on its own rows as a vector of integers with a public {@link
 * io.cleanroom.eval.sum.Layout}, that the nodes add up on secret shares, and whose totals alone
 * give the metrics. Real values in these vectors are fixed point ({@link
 * io.cleanroom.eval.sum.Scale}).
 */
package io.cleanroom.eval.sum;
