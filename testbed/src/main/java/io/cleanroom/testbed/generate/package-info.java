/**
 * Synthetic datasets in the bank-folder format of DATA-FORMAT.md, read by the nodes: banks of
 * uneven size, customers (some of them the same person at several banks), an ordinary economy of
 * salaries, rents, shop and person-to-person payments, planted cross-bank mule networks, the banks'
 * own alerts, and a {@code truth.csv} for evaluation. {@link
 * io.cleanroom.testbed.generate.Generator} is the entry point and {@link
 * io.cleanroom.testbed.generate.GeneratorOptions} its knobs.
 *
 * <p>Generation is deterministic: every random choice comes from one {@link
 * java.util.SplittableRandom} seeded by the caller, or from hashes of the seed and the thing being
 * decided (a person, a customer row, an account's contacts), and files are written in a fixed
 * order, so a seed names a dataset byte for byte.
 */
package io.cleanroom.testbed.generate;
