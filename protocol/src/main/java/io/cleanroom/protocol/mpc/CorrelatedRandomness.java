package io.cleanroom.protocol.mpc;

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

  /** Shares of n uniform r in Z_2^64 and of each of its 64 bits as 0/1. */
  BitMasks bitMasks(String step, int n);

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

  /** This party's shares of a, b and c = a·b. */
  record BeaverTriples(long[] a, long[] b, long[] c) {}

  /** This party's shares of r, of r's top bit, and of (r mod 2^63) &gt;&gt; shift. */
  record TruncationMasks(long[] r, long[] top, long[] lowShifted) {}

  /** This party's shares of r and of bits[k][i] = bit k of r_i. */
  record BitMasks(long[] r, long[][] bits) {}

  /** This party's shares of the node mask b and of the edge products c. */
  record EdgeTriples(long[] b, long[] c) {}
}
