/**
 * Additive secret sharing among the N bank nodes of a study, and the randomness it is built from.
 *
 * <p>A value x in Z_2^64 is held as shares x_1 … x_N with x = Σ x_i; any N−1 shares are uniformly
 * random and independent of x. What each party learns is stated on every protocol.
 */
package io.cleanroom.protocol.sharing;
