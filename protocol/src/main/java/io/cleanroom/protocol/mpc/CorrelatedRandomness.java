package io.cleanroom.protocol.mpc;

import java.util.function.Consumer;

/**
 * This party's part of the correlated randomness the dealer prepares for a study. Every method is
 * keyed by a protocol step; asking twice for the same step returns the same values, and every party
 * asking for the same step with the same sizes receives shares of the same correlation. What a
 * party learns: its own shares only, which are uniformly random.
 *
 * <p>Nothing passed here depends on data: only step names, sizes, and, for edge triples, the joint
 * graph's structure, which the coordinator knows anyway.
 */
public interface CorrelatedRandomness {

  /** Shares of n Beaver triples: uniform a, b and c = a·b in Z_2^64. */
  BeaverTriples triples(String step, int n);

  /**
   * Shares of n truncation masks for a shift of {@code shift} bits: uniform r in Z_2^64, its top
   * bit r_63 as 0/1, and (r mod 2^63) &gt;&gt; shift.
   */
  TruncationMasks truncationMasks(String step, int n, int shift);

  /** Shares of n power tuples: uniform a and a², a³ in Z_2^64. */
  PowerTuples powers(String step, int n);

  /** Shares of n uniform r in Z_2^64 and of each of its 64 bits as 0/1. */
  BitMasks bitMasks(String step, int n);

  /**
   * Shares of n random r_i uniform in [0, 2^{@code bits}), twice: additively in Z_2^64 ({@link
   * EdaBits#r}), and bit by bit as XOR shares over GF(2), bit-sliced ({@link EdaBits#bits}): with W
   * = ⌈n/64⌉ words per bit, bit k of r_i is bit i mod 64 of word k·W + ⌊i/64⌋, and the unused
   * positions of each bit's last word are 0. With {@code bits} = 1 these are daBits (a random bit
   * shared both ways). The "extended doubly-authenticated bits" of Escudero et al. 2020 ("Improved
   * primitives for MPC over mixed arithmetic-binary circuits"), without the authentication.
   *
   * @param bits 1..62
   */
  EdaBits edaBits(String step, int n, int bits);

  /**
   * Shares of 64·{@code words} AND triples over GF(2), bit-sliced: uniform words a, b and c = a AND
   * b, each XOR-shared among the parties.
   */
  BitTriples bitTriples(String step, int words);

  /**
   * Shares of the per-edge mask a of a constant edge-weight vector, drawn once and reused by every
   * {@link #edgeTriples} that names {@code maskStep}.
   */
  long[] edgeMask(String maskStep, int edges);

  /**
   * Shares of one iteration's mask b of a node vector and of c_e = a_e · b_src(e) for every edge e,
   * where a is the mask of {@code maskStep}.
   */
  EdgeTriples edgeTriples(String maskStep, String step, int[] src, int nodes);

  /**
   * This party's own mask of a block of {@code rows} × {@code cols} values that it owns
   * (row-major): uniform, known in full to this party and to the dealer, and to nobody else. The
   * mask is a sharing of itself in which every other party holds zero; it is the constant operand's
   * mask of {@link #rowTriples}.
   */
  long[] ownerMask(String maskStep, int rows, int cols);

  /**
   * Shares of the triples for products with a block of rows stacked by owner (party 0's rows
   * first), each owner's rows masked with its {@link #ownerMask} of {@code maskStep}; {@code
   * rowsByOwner} gives each party's number of rows. Not transposed: a column mask b ({@code cols}
   * elements) and c = A·b (one per row). Transposed: a row mask b (one per row) and c = Aᵀ·b
   * ({@code cols} elements).
   */
  RowTriples rowTriples(
      String maskStep, String step, int[] rowsByOwner, int cols, boolean transposed);

  /**
   * Announces the randomness of later steps, so that an implementation that fetches it over the
   * network can fetch all of it at once, ahead of the calls. {@code announce} makes, on the
   * instance it is given, the calls the later steps will make; there they only note the request and
   * return null. A later call that was not announced is answered as usual, so announcing is an
   * optimisation only. By default nothing is fetched ahead.
   */
  default void prefetch(Consumer<CorrelatedRandomness> announce) {}

  /** This party's shares of a, b and c = a·b. */
  record BeaverTriples(long[] a, long[] b, long[] c) {}

  /** This party's shares of r, of r's top bit, and of (r mod 2^63) &gt;&gt; shift. */
  record TruncationMasks(long[] r, long[] top, long[] lowShifted) {}

  /** This party's shares of a, a² and a³. */
  record PowerTuples(long[] a, long[] a2, long[] a3) {}

  /** This party's shares of r and of bits[k][i] = bit k of r_i. */
  record BitMasks(long[] r, long[][] bits) {}

  /**
   * This party's additive shares of r ({@code n} elements) and XOR shares of its bits ({@code
   * bits·⌈n/64⌉} words, bit-sliced as {@link #edaBits} describes).
   */
  record EdaBits(long[] r, long[] bits) {}

  /** This party's XOR shares of a, b and c = a AND b, bit-sliced words. */
  record BitTriples(long[] a, long[] b, long[] c) {}

  /** This party's shares of the node mask b and of the edge products c. */
  record EdgeTriples(long[] b, long[] c) {}

  /** This party's shares of the mask b and of the products c of a row block's triples. */
  record RowTriples(long[] b, long[] c) {}
}
