package io.cleanroom.protocol.mpc;

import java.util.Arrays;
import java.util.function.LongBinaryOperator;

/**
 * The borrow of a bit-wise less-than [a &lt; ρ] from per-bit generate and propagate vectors, by the
 * logarithmic-depth tree of Catrina and de Hoogh 2010: groups combine, most significant first, as
 * (G, P) = (G_hi + P_hi·G_lo, P_hi·P_lo), and all products of one level go through one call of
 * {@code product}. The sum is exact in the ring and an XOR in GF(2), because G_hi = 1 forces P_hi =
 * 0. The group holding bit 0 is always the last one and never a high part, so its P is never formed
 * (its entry is null). {@link Comparison} runs it in Z_2^64 on 0/1 elements, {@link BitComparison}
 * in GF(2) on bit-sliced words.
 */
final class CarryTree {
  private CarryTree() {}

  /** Shares of the element-wise product of two vectors, in one round under the given step. */
  interface Product {
    long[] of(String step, long[] left, long[] right);
  }

  /**
   * G of the root.
   *
   * @param g generate vectors, most significant group first, each {@code len} long
   * @param p propagate vectors in the same order; the last one null
   * @param plus adds G_hi and a product (ring addition or XOR)
   */
  static long[] root(
      String step, long[][] g, long[][] p, int len, Product product, LongBinaryOperator plus) {
    int level = 0;
    while (g.length > 1) {
      level++;
      int groups = g.length;
      int pairs = groups / 2;
      int next = (groups + 1) / 2;
      // per pair: P_hi·G_lo, and P_hi·P_lo unless the low group is the last one (P_lo is null)
      int products = 0;
      for (int j = 0; j < pairs; j++) {
        products += p[2 * j + 1] == null ? 1 : 2;
      }
      long[] left = new long[products * len];
      long[] right = new long[products * len];
      int at = 0;
      for (int j = 0; j < pairs; j++) {
        System.arraycopy(p[2 * j], 0, left, at, len);
        System.arraycopy(g[2 * j + 1], 0, right, at, len);
        at += len;
        if (p[2 * j + 1] != null) {
          System.arraycopy(p[2 * j], 0, left, at, len);
          System.arraycopy(p[2 * j + 1], 0, right, at, len);
          at += len;
        }
      }
      long[] prod = product.of(step + "/lvl" + level, left, right);
      long[][] ng = new long[next][];
      long[][] np = new long[next][];
      at = 0;
      for (int j = 0; j < pairs; j++) {
        long[] sum = new long[len];
        for (int i = 0; i < len; i++) {
          sum[i] = plus.applyAsLong(g[2 * j][i], prod[at + i]);
        }
        at += len;
        ng[j] = sum;
        if (p[2 * j + 1] != null) {
          np[j] = Arrays.copyOfRange(prod, at, at + len);
          at += len;
        }
      }
      if (groups % 2 == 1) {
        ng[next - 1] = g[groups - 1];
        np[next - 1] = p[groups - 1];
      }
      g = ng;
      p = np;
    }
    return g[0];
  }

  /** The number of products of each level for {@code bits} groups, as {@link #root} forms them. */
  static int[] productsPerLevel(int bits) {
    int[] out = new int[32 - Integer.numberOfLeadingZeros(Math.max(1, bits - 1))];
    int groups = bits;
    for (int level = 0; groups > 1; level++) {
      int pairs = groups / 2;
      out[level] = 2 * pairs - (groups % 2 == 0 ? 1 : 0);
      groups = (groups + 1) / 2;
    }
    return out;
  }
}
