/**
 * {@code ./cleanroom bench}: benchmarks that print figures and, in the same run, the time of the
 * plaintext computation they replace and the ratio between the two. Each benchmark also checks its
 * secure result against the plaintext one, so a fast wrong answer cannot pass as a result.
 */
package io.cleanroom.testbed.bench;
