/**
 * Proportions from summed counts and their confidence intervals: Wilson score intervals for rates,
 * Newcombe's hybrid score interval for differences and Katz's log interval for ratios of
 * independent proportions.
 */
package io.cleanroom.eval.stats;
