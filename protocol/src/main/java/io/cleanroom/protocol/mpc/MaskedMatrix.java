package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdgeTriples;

/**
 * A constant, secret-weighted sparse matrix (a weighted graph: one weight per edge src → dst),
 * masked once so that products with many shared node vectors are cheap, as in iterative graph
 * algorithms. Obtained from {@link Arithmetic#maskMatrix}.
 *
 * <p><b>Masking</b> (once per {@code maskStep}). The dealer supplies shares of a uniform per-edge
 * mask a; the parties open E = w − a through party 0 ({@link Arithmetic#openThroughLeader}, two
 * rounds, 2·(N−1)·edges elements in all). E is uniform and reveals nothing about the weights. This
 * reuse of one masked constant operand across many products follows Mohassel and Zhang 2017
 * ("SecureML"), an application of Beaver's (1991) triples in which the constant factor's mask is
 * fixed and only the other factor's mask is fresh.
 *
 * <p><b>Product</b> y_i = Σ_{e: dst(e)=i} w_e·x_src(e) in fixed point (per call, named by {@code
 * step}). The dealer supplies shares of a fresh node mask b and of c_e = a_e·b_src(e). The parties
 * open D = x − b (one round, nodes elements, uniform). Since w_e·x_s = (E_e + a_e)(D_s + b_s), a
 * share of it is E_e·D_s + E_e·[b_s] + D_s·[a_e] + [c_e], the public E_e·D_s at party 0 only.
 * Shares are summed per destination locally and truncated once by f (step {@code step + "/trunc"},
 * one round, nodes elements). Each product therefore costs 2 rounds and 2·nodes elements,
 * independent of the number of edges.
 *
 * <p><b>Result and error.</b> For encoded weights W and inputs X, y_i is floor(S_i/2^f) or one
 * more, S_i = Σ W_e·X_src(e) exactly: within 2^−f of the product of the encoded values. Requires
 * |S_i| &lt; 2^62 for every node. What each party learns: E once, D per product, and the truncation
 * openings, all uniform. The sparsity pattern (src, dst) is public.
 *
 * <p>Not thread-safe; bound to the {@link Arithmetic} that created it.
 */
public final class MaskedMatrix {

  private final Arithmetic arith;
  private final String maskStep;
  private final int[] src;
  private final int[] dst;
  private final int nodes;
  private final long[] opened;
  private final long[] mask;

  private MaskedMatrix(
      Arithmetic arith,
      String maskStep,
      int[] src,
      int[] dst,
      int nodes,
      long[] opened,
      long[] mask) {
    this.arith = arith;
    this.maskStep = maskStep;
    this.src = src;
    this.dst = dst;
    this.nodes = nodes;
    this.opened = opened;
    this.mask = mask;
  }

  static MaskedMatrix mask(
      Arithmetic arith, String maskStep, int[] src, int[] dst, int nodes, long[] weightShares) {
    if (nodes < 0) {
      throw new IllegalArgumentException("negative node count " + nodes);
    }
    Arithmetic.requireSameLength(src.length, dst.length);
    Arithmetic.requireSameLength(src.length, weightShares.length);
    requireNodes("starts", src, nodes);
    requireNodes("ends", dst, nodes);
    int edges = src.length;
    long[] a = arith.dealer().edgeMask(maskStep, edges);
    Arithmetic.requireDealt(a, edges, "edge masks", maskStep);
    long[] masked = new long[edges];
    for (int e = 0; e < edges; e++) {
      masked[e] = weightShares[e] - a[e];
    }
    long[] opened = arith.openThroughLeader(maskStep, masked);
    return new MaskedMatrix(arith, maskStep, src.clone(), dst.clone(), nodes, opened, a);
  }

  public int nodes() {
    return nodes;
  }

  public int edges() {
    return src.length;
  }

  /** Shares of y with y_i = Σ_{e: dst(e)=i} w_e·x_src(e), in fixed point. */
  public long[] times(String step, long[] x) {
    return product(step, x, src, dst);
  }

  /**
   * Shares of y with y_j = Σ_{e: src(e)=j} w_e·x_dst(e): the product with the transposed matrix,
   * using the same masked weights (the dealer's edge triples are then formed along dst). Same cost
   * and error as {@link #times}.
   */
  public long[] transposeTimes(String step, long[] x) {
    return product(step, x, dst, src);
  }

  private long[] product(String step, long[] x, int[] from, int[] to) {
    Arithmetic.requireSameLength(nodes, x.length);
    EdgeTriples t = arith.dealer().edgeTriples(maskStep, step, from, nodes);
    Arithmetic.requireDealt(t.b(), nodes, "edge triple node masks", step);
    Arithmetic.requireDealt(t.c(), from.length, "edge triple products", step);
    long[] masked = new long[nodes];
    for (int i = 0; i < nodes; i++) {
      masked[i] = x[i] - t.b()[i];
    }
    long[] d = arith.open(step, masked);
    boolean leader = arith.isLeader();
    long[] y = new long[nodes];
    for (int e = 0; e < from.length; e++) {
      int s = from[e];
      long ee = opened[e];
      long share = ee * t.b()[s] + d[s] * mask[e] + t.c()[e];
      if (leader) {
        share += ee * d[s];
      }
      y[to[e]] += share;
    }
    return arith.truncate(step + "/trunc", y, arith.fixedPoint().fractionBits());
  }

  private static void requireNodes(String what, int[] ends, int nodes) {
    for (int e = 0; e < ends.length; e++) {
      if (ends[e] < 0 || ends[e] >= nodes) {
        throw new IllegalArgumentException(
            "edge " + e + " " + what + " at node " + ends[e] + ", outside 0.." + (nodes - 1));
      }
    }
  }
}
