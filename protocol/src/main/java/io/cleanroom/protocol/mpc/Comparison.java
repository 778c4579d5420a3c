package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitMasks;

/**
 * Secure sign test [x &lt; 0] for shared x with −2^62 ≤ x &lt; 2^62, built from a bit-decomposed
 * dealer mask and a bit-wise less-than of a public against a shared number, with the
 * logarithmic-depth carry structure of Catrina and de Hoogh 2010 ("Improved primitives for secure
 * multiparty integer computation").
 *
 * <p><b>Reduction to one borrow bit.</b> The dealer supplies shares of a uniform r in Z_2^64 and of
 * each of its bits r_0..r_63. Let x' = x + 2^62 (party 0 adds 2^62), so 0 ≤ x' &lt; 2^63 and x ≥ 0
 * exactly when bit 62 of x' is set, i.e. floor(x'/2^62) = 1. The parties open c = x' + r mod 2^64,
 * uniform and independent of x. As in {@link Arithmetic#truncate}, x' = c_low + u·2^63 − r_low as
 * integers, with c_low = c mod 2^63, r_low = r mod 2^63 and u = c_63 XOR r_63 = c_63 + r_63 −
 * 2·c_63·r_63 (linear: c_63 is public). Split c_low = c_62·2^62 + a and r_low = r_62·2^62 + ρ with
 * a = c mod 2^62, ρ = r mod 2^62; then x' = (c_62 + 2u − r_62)·2^62 + (a − ρ) with |a − ρ| &lt;
 * 2^62, so floor(x'/2^62) = c_62 + 2u − r_62 − borrow where borrow = [a &lt; ρ]. This is an integer
 * identity (its value is 0 or 1), so unlike the mod-2 form c_62 ⊕ r_62 ⊕ borrow it needs no
 * multiplication to evaluate once borrow is shared: [x &lt; 0] = 1 − c_62 − 2u + r_62 + borrow.
 *
 * <p><b>Borrow (BitLT).</b> a is public and ρ is shared bit by bit. For bit i let g_i = (1 − a_i)·
 * r_i (ρ is greater at bit i) and p_i = 1 − (a_i XOR r_i) (equal at bit i); both are linear in r_i
 * because a_i is public. Groups of bits combine, most significant first, as (G, P) = (G_hi + P_hi·
 * G_lo, P_hi·P_lo); the sum is exact because G_hi = 1 forces P_hi = 0. A balanced tree over the 62
 * bits has ceil(log2 62) = 6 levels, and all products of one level go through one Beaver
 * multiplication over the whole vector. The group holding bit 0 is always the last one and never a
 * high part, so its P is never formed: 117 products per element in all. borrow = G at the root.
 *
 * <p>What each party learns: c and the Beaver openings, all uniform. Cost: 7 rounds; 1 + 2·117 =
 * 235 elements per compared value to each other party (1880 bytes).
 */
final class Comparison {

  private static final int LOW_BITS = 62;

  private Comparison() {}

  static long[] lessThanZero(Arithmetic arith, String step, long[] x) {
    int n = x.length;
    BitMasks m = arith.dealer().bitMasks(step, n);
    Arithmetic.requireDealt(m.r(), n, "bit masks", step);
    if (m.bits().length != 64) {
      throw new IllegalStateException(
          "dealer sent " + m.bits().length + " mask bits for step " + step + ", expected 64");
    }
    for (long[] bit : m.bits()) {
      Arithmetic.requireDealt(bit, n, "bit masks", step);
    }
    boolean leader = arith.isLeader();
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + m.r()[i] + (leader ? 1L << 62 : 0);
    }
    long[] c = arith.open(step, masked);
    long[] borrow = lessThanPublic(arith, step, c, m.bits());
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long c62 = (c[i] >>> 62) & 1;
      long c63 = c[i] >>> 63;
      long u = (1 - 2 * c63) * m.bits()[63][i] + (leader ? c63 : 0);
      out[i] = m.bits()[62][i] + borrow[i] - 2 * u + (leader ? 1 - c62 : 0);
    }
    return out;
  }

  /** Shares of [c mod 2^62 &lt; r mod 2^62] for public c and shared bits of r. */
  private static long[] lessThanPublic(Arithmetic arith, String step, long[] c, long[][] bits) {
    int n = c.length;
    boolean leader = arith.isLeader();
    // groups[k] is ordered from the most significant bit group down to the one holding bit 0
    long[][] g = new long[LOW_BITS][];
    long[][] p = new long[LOW_BITS][];
    for (int k = 0; k < LOW_BITS; k++) {
      int bit = LOW_BITS - 1 - k;
      long[] gk = new long[n];
      long[] pk = bit == 0 ? null : new long[n];
      long[] r = bits[bit];
      for (int i = 0; i < n; i++) {
        boolean aSet = ((c[i] >>> bit) & 1) != 0;
        gk[i] = aSet ? 0 : r[i];
        if (pk != null) {
          pk[i] = aSet ? r[i] : (leader ? 1 : 0) - r[i];
        }
      }
      g[k] = gk;
      p[k] = pk;
    }
    return CarryTree.root(step, g, p, n, arith::mul, Long::sum);
  }
}
