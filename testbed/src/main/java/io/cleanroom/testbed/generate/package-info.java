/**
 * Synthetic datasets in the bank-folder format read by {@link io.cleanroom.node.data.BankFolder}:
 * banks, customers (some of them the same person at two banks), transactions, planted mule rings,
 * the banks' own alerts, and a {@code truth.csv} for evaluation.
 *
 * <p>Generation is deterministic: every random choice comes from one {@link
 * java.util.SplittableRandom} seeded by the caller, or from per-person generators derived from the
 * same seed, and files are written in a fixed order, so a seed names a dataset byte for byte.
 */
package io.cleanroom.testbed.generate;
