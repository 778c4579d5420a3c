package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdaBits;

/**
 * Secure comparisons [x ≥ t] of shared x with public thresholds t, for x of known bounded size,
 * with the bit-wise part over GF(2) on bit-sliced words: 64 comparisons per AND of two 64-bit
 * words, so a comparison costs a few bytes instead of the 235 ring elements of {@link Comparison}.
 *
 * <p><b>Reduction to a small ring.</b> The caller guarantees |x| &lt; 2^b (for instance the output
 * of {@link Arithmetic#truncate} by s bits, which is below 2^(64−s) in absolute value whatever its
 * input, because its result is assembled from a public c_low &gt;&gt; s, a shared bit and a dealer
 * value below 2^(63−s)). With k = b + 2 and |t| &lt; 2^b, y = x − t + 2^(k−1) lies in (0, 2^k), and
 * x ≥ t exactly when bit k−1 of y is set. Reducing every share modulo 2^k is a ring homomorphism
 * Z_2^64 → Z_2^k, so the parties hold shares of y mod 2^k = y locally.
 *
 * <p><b>Opening.</b> The dealer supplies an edaBit r (Escudero et al. 2020, "Improved primitives
 * for MPC over mixed arithmetic-binary circuits"): r uniform in [0, 2^k), shared additively and bit
 * by bit over GF(2). The parties open c = x + 2^(k−1) + r mod 2^k, each sending its share reduced
 * modulo 2^k and its upper 64 − k bits filled with fresh private random bits, which the receivers
 * drop: c is uniform in Z_2^k whatever x is, and every element sent is uniform in Z_2^64. For
 * threshold t, c_t = c − t mod 2^k = y + r mod 2^k is public. Writing c_t = c'·2^(k−1) + a and r =
 * r'·2^(k−1) + ρ with a, ρ &lt; 2^(k−1), bit k−1 of y = c_t − r mod 2^k is c' ⊕ r' ⊕ [a &lt; ρ]
 * (the borrow out of the low bits).
 *
 * <p><b>Borrow.</b> [a &lt; ρ] for public a and XOR-shared bits of ρ, by the carry tree of {@link
 * Comparison} (Catrina and de Hoogh 2010) over GF(2): g_i = ¬a_i ∧ ρ_i and p_i = ¬(a_i ⊕ ρ_i) are
 * linear in ρ_i; groups combine as (G, P) = (G_hi ⊕ P_hi ∧ G_lo, P_hi ∧ P_lo), ⌈log2(k−1)⌉ levels,
 * every level's ANDs in one opening, each AND a dealer AND triple over GF(2) (Beaver's technique in
 * GF(2)). Each word holds bit i of 64 values, so one word AND serves 64 comparisons.
 *
 * <p><b>Back to the ring.</b> The resulting bit e, XOR-shared, becomes additive by a daBit (an
 * edaBit of one bit, β): open o = e ⊕ β (uniform), then e = o + β − 2·o·β, linear in β.
 *
 * <p>What each party learns: c (uniform in Z_2^k), the openings of the AND triples (masked by
 * uniform dealer words) and o (masked by the uniform β): nothing about x. Cost for m thresholds on
 * n values, with L = k − 1: 1 + ⌈log2 L⌉ + 1 rounds; per value to each other party one element (c,
 * sent as 8 bytes) plus about 2·(2L − 3)·m/64 + m/64 words of openings.
 */
final class BitComparison {
  private BitComparison() {}

  /**
   * Shares of [x_i ≥ t_j], as 0/1 ring elements, one row per threshold.
   *
   * @param bound b with |x_i| &lt; 2^b guaranteed by the caller and |t_j| &lt; 2^b; 1..60
   */
  static long[][] atLeast(Arithmetic arith, String step, long[] x, int bound, long[] thresholds) {
    Masked m = mask(arith, step, x, bound, thresholds);
    return finish(arith, m, arith.open(step + "/mask", m.shares()));
  }

  /**
   * The first half of {@link #atLeast}, for callers that open c together with other values: this
   * party's shares of c (reduced modulo 2^k), to be opened and passed to {@link #finish}.
   */
  record Masked(String step, long[] shares, EdaBits r, int k, long[] thresholds) {}

  static Masked mask(Arithmetic arith, String step, long[] x, int bound, long[] thresholds) {
    int k = bits(bound);
    for (long t : thresholds) {
      if (Math.abs(t) >= 1L << bound) {
        throw new IllegalArgumentException("threshold " + t + " is not below 2^" + bound);
      }
    }
    int n = x.length;
    long ring = (1L << k) - 1;
    boolean leader = arith.isLeader();
    EdaBits r = arith.dealer().edaBits(step + "/mask", n, k);
    Arithmetic.requireDealt(r.r(), n, "edaBits", step);
    Arithmetic.requireDealt(r.bits(), k * Dealer.words(n), "edaBit bits", step);
    // Each share is reduced modulo 2^k, and its upper 64 − k bits are filled with fresh private
    // randomness: every element sent is uniform in Z_2^64, and its residue modulo 2^k sums to c.
    long[] pad = arith.prg().next(n);
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = ((x[i] + r.r()[i] + (leader ? 1L << (k - 1) : 0)) & ring) | (pad[i] & ~ring);
    }
    return new Masked(step, masked, r, k, thresholds.clone());
  }

  /** The second half of {@link #atLeast}, given the opened c (summed shares, any high bits). */
  static long[][] finish(Arithmetic arith, Masked masked, long[] opened) {
    String step = masked.step();
    int k = masked.k();
    long[] thresholds = masked.thresholds();
    EdaBits r = masked.r();
    int n = opened.length;
    int m = thresholds.length;
    int words = Dealer.words(n);
    long ring = (1L << k) - 1;
    boolean leader = arith.isLeader();
    // the public c_t = c − t mod 2^k of each threshold, bit-sliced like the edaBit's bits
    long[][] a = new long[m][];
    for (int j = 0; j < m; j++) {
      long[] ct = new long[n];
      for (int i = 0; i < n; i++) {
        ct[i] = (opened[i] - thresholds[j]) & ring;
      }
      a[j] = Dealer.bitSlice(ct, k);
    }
    int low = k - 1;
    // g[b], p[b] for bit low−1−b (most significant first): m blocks of `words` words each
    long[][] g = new long[low][];
    long[][] p = new long[low][];
    for (int b = 0; b < low; b++) {
      int bit = low - 1 - b;
      long[] gb = new long[m * words];
      long[] pb = bit == 0 ? null : new long[m * words];
      for (int j = 0; j < m; j++) {
        for (int w = 0; w < words; w++) {
          long aw = a[j][bit * words + w];
          long rho = r.bits()[bit * words + w];
          gb[j * words + w] = rho & ~aw;
          if (pb != null) {
            pb[j * words + w] = leader ? rho ^ ~aw : rho;
          }
        }
      }
      g[b] = gb;
      p[b] = pb;
    }
    long[] borrow =
        CarryTree.root(step, g, p, m * words, (l, x, y) -> and(arith, l, x, y), (x, y) -> x ^ y);
    long[] bit = new long[m * words];
    for (int j = 0; j < m; j++) {
      for (int w = 0; w < words; w++) {
        long cTop = a[j][(k - 1) * words + w];
        int at = j * words + w;
        bit[at] = borrow[at] ^ r.bits()[(k - 1) * words + w] ^ (leader ? cTop : 0);
      }
    }
    return toRing(arith, step + "/b2a", bit, m, n, words);
  }

  /** The ring of a comparison with the given bound: k = b + 2 bits. */
  static int bits(int bound) {
    if (bound < 1 || bound > 60) {
      throw new IllegalArgumentException("comparison bound must be 1..60 bits, got " + bound);
    }
    return bound + 2;
  }

  /** Announces the randomness of {@link #atLeast} on n values and m thresholds. */
  static void announce(CorrelatedRandomness d, String step, int n, int bound, int m) {
    int k = bits(bound);
    int words = Dealer.words(n);
    d.edaBits(step + "/mask", n, k);
    int[] products = CarryTree.productsPerLevel(k - 1);
    for (int level = 0; level < products.length; level++) {
      d.bitTriples(step + "/lvl" + (level + 1), products[level] * m * words);
    }
    d.edaBits(step + "/b2a", m * words * 64, 1);
  }

  /**
   * XOR shares of x AND y, word by word, by an AND triple (a, b, c) over GF(2): open d = x ⊕ a and
   * e = y ⊕ b (uniform), then z = c ⊕ (d ∧ b) ⊕ (e ∧ a) ⊕ (d ∧ e), the last term at party 0 only.
   * One round, 2·len words.
   */
  static long[] and(Arithmetic arith, String step, long[] x, long[] y) {
    int len = x.length;
    BitTriples t = arith.dealer().bitTriples(step, len);
    Arithmetic.requireDealt(t.a(), len, "AND triples", step);
    Arithmetic.requireDealt(t.b(), len, "AND triples", step);
    Arithmetic.requireDealt(t.c(), len, "AND triples", step);
    long[] masked = new long[2 * len];
    for (int w = 0; w < len; w++) {
      masked[w] = x[w] ^ t.a()[w];
      masked[len + w] = y[w] ^ t.b()[w];
    }
    long[] de = arith.openXor(step, masked);
    boolean leader = arith.isLeader();
    long[] z = new long[len];
    for (int w = 0; w < len; w++) {
      long d = de[w];
      long e = de[len + w];
      z[w] = t.c()[w] ^ (d & t.b()[w]) ^ (e & t.a()[w]) ^ (leader ? d & e : 0);
    }
    return z;
  }

  /**
   * Additive shares (0/1 in the ring) of XOR-shared bits: m blocks of n values in {@code words}
   * words each, by daBits: open o = e ⊕ β, then e = o + β − 2·o·β. One round, m·words words.
   */
  private static long[][] toRing(
      Arithmetic arith, String step, long[] bits, int m, int n, int words) {
    int values = m * words * 64;
    EdaBits beta = arith.dealer().edaBits(step, values, 1);
    Arithmetic.requireDealt(beta.r(), values, "daBits", step);
    Arithmetic.requireDealt(beta.bits(), m * words, "daBit bits", step);
    long[] masked = new long[bits.length];
    for (int w = 0; w < bits.length; w++) {
      masked[w] = bits[w] ^ beta.bits()[w];
    }
    long[] o = arith.openXor(step, masked);
    boolean leader = arith.isLeader();
    long[][] out = new long[m][n];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < n; i++) {
        int w = j * words + (i >>> 6);
        long oi = (o[w] >>> (i & 63)) & 1L;
        long b = beta.r()[w * 64 + (i & 63)];
        out[j][i] = (1 - 2 * oi) * b + (leader ? oi : 0);
      }
    }
    return out;
  }
}
