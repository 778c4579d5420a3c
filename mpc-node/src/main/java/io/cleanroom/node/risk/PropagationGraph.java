package io.cleanroom.node.risk;

import io.cleanroom.protocol.linkage.JointGraph;
import java.util.Arrays;

/**
 * The public structure of the propagation matrix, which every party derives identically from the
 * joint graph: one edge j → i for every flow edge, every identity edge and every self-loop i → i
 * (which carries the (1−δ) term), merged and sorted by receiver then sender. Also the identity
 * in-degree |N(i)| of every handle.
 */
public final class PropagationGraph {
  private final int handles;
  private final int[] src;
  private final int[] dst;
  private final int[] identityDegree;

  public PropagationGraph(JointGraph g) {
    handles = g.handles();
    int n = g.flowSrc().length + g.identitySrc().length + handles;
    long[] pairs = new long[n];
    int k = 0;
    for (int e = 0; e < g.flowSrc().length; e++) {
      pairs[k++] = pair(g.flowDst()[e], g.flowSrc()[e]);
    }
    identityDegree = new int[handles];
    for (int e = 0; e < g.identitySrc().length; e++) {
      pairs[k++] = pair(g.identityDst()[e], g.identitySrc()[e]);
      identityDegree[g.identityDst()[e]]++;
    }
    for (int i = 0; i < handles; i++) {
      pairs[k++] = pair(i, i);
    }
    Arrays.sort(pairs);
    int m = 0;
    for (int i = 0; i < pairs.length; i++) {
      if (i == 0 || pairs[i] != pairs[i - 1]) {
        pairs[m++] = pairs[i];
      }
    }
    src = new int[m];
    dst = new int[m];
    for (int e = 0; e < m; e++) {
      dst[e] = (int) (pairs[e] >>> 32);
      src[e] = (int) pairs[e];
    }
  }

  private static long pair(int receiver, int sender) {
    return ((long) receiver << 32) | (sender & 0xffffffffL);
  }

  public int handles() {
    return handles;
  }

  public int edges() {
    return src.length;
  }

  /** Sender of each edge. */
  public int[] src() {
    return src;
  }

  /** Receiver of each edge. */
  public int[] dst() {
    return dst;
  }

  /** |N(i)|: accounts whose holders share an identifier with i's holder. */
  public int identityDegree(int handle) {
    return identityDegree[handle];
  }

  /** The index of edge j → i, or −1. */
  public int find(int sender, int receiver) {
    int a = 0;
    int b = src.length - 1;
    while (a <= b) {
      int mid = (a + b) >>> 1;
      int c =
          dst[mid] != receiver
              ? Integer.compare(dst[mid], receiver)
              : Integer.compare(src[mid], sender);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        a = mid + 1;
      } else {
        b = mid - 1;
      }
    }
    return -1;
  }
}
