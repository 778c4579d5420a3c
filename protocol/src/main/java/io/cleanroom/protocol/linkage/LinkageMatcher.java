package io.cleanroom.protocol.linkage;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.SimpleGraph;

/**
 * The coordinator's matching of doubly-blinded values into the joint graph.
 *
 * <p>Every account of every bank gets a handle from a fresh uniformly random permutation, so
 * handles say nothing about banks' account order. Flow edges: a bank's intra-bank edges, and each
 * cross-bank edge whose counterparty's blinded account number equals a blinded account number that
 * its owning bank uploaded; both banks report a cross-bank transfer, and duplicates are merged.
 * Identity edges: every ordered pair of distinct accounts sharing a blinded identifier of the same
 * kind. Identity clusters are the connected components of the identity edges (JGraphT's {@link
 * ConnectivityInspector}).
 *
 * <p>Matching sorts the blinded values, O(m log m) for m values; a shared identifier held by k
 * accounts contributes k(k−1) identity edges.
 */
public final class LinkageMatcher {
  private LinkageMatcher() {}

  public static LinkageResult match(List<PartyUpload> uploads, SecureRandom random) {
    int parties = uploads.size();
    int[] offset = new int[parties + 1];
    for (int p = 0; p < parties; p++) {
      offset[p + 1] = Math.addExact(offset[p], uploads.get(p).accounts());
    }
    int handles = offset[parties];
    int[] handleOf = Permutations.random(handles, random);
    int[] owner = new int[handles];
    for (int p = 0; p < parties; p++) {
      for (int g = offset[p]; g < offset[p + 1]; g++) {
        owner[handleOf[g]] = p;
      }
    }
    AccountTable accounts = new AccountTable(uploads, offset);

    LongSet flows = new LongSet();
    long unmatched = 0;
    int[][] counterparts = new int[parties][];
    for (int p = 0; p < parties; p++) {
      PartyUpload u = uploads.get(p);
      int[] cp = new int[u.edgeOwn().length];
      for (int e = 0; e < cp.length; e++) {
        int own = handleOf[offset[p] + u.edgeOwn()[e]];
        int other;
        if (u.edgeKinds()[e] == PartyUpload.INTRA) {
          other = handleOf[offset[p] + u.edgeOther()[e]];
        } else {
          int c = u.edgeOther()[e];
          int g = accounts.find(u.crossHi()[c], u.crossLo()[c]);
          other = g < 0 ? -1 : handleOf[g];
        }
        cp[e] = other;
        if (other < 0) {
          unmatched++;
        } else if (u.edgeKinds()[e] == PartyUpload.CROSS_IN) {
          flows.add(pair(other, own));
        } else {
          flows.add(pair(own, other));
        }
      }
      counterparts[p] = cp;
    }
    long[] flowPairs = flows.sortedDistinct();

    Identity identity = identity(uploads, offset, handleOf);
    JointGraph graph =
        new JointGraph(
            handles,
            owner,
            firsts(flowPairs),
            seconds(flowPairs),
            firsts(identity.pairs),
            seconds(identity.pairs));
    List<NodeView> views = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      int[] own = Arrays.copyOfRange(handleOf, offset[p], offset[p + 1]);
      views.add(new NodeView(graph, own, counterparts[p]));
    }
    return new LinkageResult(graph, views, identity.clusters, unmatched);
  }

  private static long pair(int src, int dst) {
    return ((long) src << 32) | (dst & 0xffffffffL);
  }

  private static int[] firsts(long[] pairs) {
    int[] out = new int[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      out[i] = (int) (pairs[i] >>> 32);
    }
    return out;
  }

  private static int[] seconds(long[] pairs) {
    int[] out = new int[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      out[i] = (int) pairs[i];
    }
    return out;
  }

  private record Identity(long[] pairs, List<int[]> clusters) {}

  private static Identity identity(List<PartyUpload> uploads, int[] offset, int[] handleOf) {
    int m = 0;
    for (PartyUpload u : uploads) {
      m += u.idLabels().length;
    }
    int[] kind = new int[m];
    long[] hi = new long[m];
    long[] lo = new long[m];
    int[] handle = new int[m];
    int k = 0;
    for (int p = 0; p < uploads.size(); p++) {
      PartyUpload u = uploads.get(p);
      for (int i = 0; i < u.idLabels().length; i++, k++) {
        kind[k] = u.idKinds()[i];
        hi[k] = u.idHi()[i];
        lo[k] = u.idLo()[i];
        handle[k] = handleOf[offset[p] + u.idLabels()[i]];
      }
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingInt(i -> kind[i])
            .thenComparingLong(i -> hi[i])
            .thenComparingLong(i -> lo[i])
            .thenComparingInt(i -> handle[i]));
    LongSet pairs = new LongSet();
    Graph<Integer, DefaultEdge> g = new SimpleGraph<>(DefaultEdge.class);
    int start = 0;
    while (start < m) {
      int end = start + 1;
      int a = order[start];
      while (end < m
          && kind[order[end]] == kind[a]
          && hi[order[end]] == hi[a]
          && lo[order[end]] == lo[a]) {
        end++;
      }
      int[] group = Arrays.stream(order, start, end).mapToInt(i -> handle[i]).distinct().toArray();
      for (int x : group) {
        for (int y : group) {
          if (x != y) {
            pairs.add(pair(x, y));
          }
        }
      }
      for (int i = 1; i < group.length; i++) {
        g.addVertex(group[0]);
        g.addVertex(group[i]);
        g.addEdge(group[0], group[i]);
      }
      start = end;
    }
    List<int[]> clusters = new ArrayList<>();
    for (Set<Integer> c : new ConnectivityInspector<>(g).connectedSets()) {
      int[] members = c.stream().mapToInt(Integer::intValue).sorted().toArray();
      clusters.add(members);
    }
    clusters.sort(Comparator.<int[]>comparingInt(c -> -c.length).thenComparingInt(c -> c[0]));
    return new Identity(pairs.sortedDistinct(), clusters);
  }

  /** Blinded account numbers of all banks, sorted for lookup. */
  private static final class AccountTable {
    private final long[] hi;
    private final long[] lo;
    private final int[] global;

    AccountTable(List<PartyUpload> uploads, int[] offset) {
      int n = 0;
      for (PartyUpload u : uploads) {
        n += u.accountLabels().length;
      }
      long[] h = new long[n];
      long[] l = new long[n];
      int[] g = new int[n];
      int k = 0;
      for (int p = 0; p < uploads.size(); p++) {
        PartyUpload u = uploads.get(p);
        for (int i = 0; i < u.accountLabels().length; i++, k++) {
          h[k] = u.accountHi()[i];
          l[k] = u.accountLo()[i];
          g[k] = offset[p] + u.accountLabels()[i];
        }
      }
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.<Integer>comparingLong(i -> h[i]).thenComparingLong(i -> l[i]));
      hi = new long[n];
      lo = new long[n];
      global = new int[n];
      for (int i = 0; i < n; i++) {
        hi[i] = h[order[i]];
        lo[i] = l[order[i]];
        global[i] = g[order[i]];
        if (i > 0 && hi[i] == hi[i - 1] && lo[i] == lo[i - 1] && global[i] != global[i - 1]) {
          throw new IllegalArgumentException(
              "two accounts uploaded the same blinded account number");
        }
      }
    }

    /** The global index of the account with this blinded number, or −1. */
    int find(long h, long l) {
      int a = 0;
      int b = hi.length - 1;
      while (a <= b) {
        int mid = (a + b) >>> 1;
        int c = hi[mid] != h ? Long.compare(hi[mid], h) : Long.compare(lo[mid], l);
        if (c == 0) {
          return global[mid];
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

  /** A growable set of longs, deduplicated by sorting at the end. */
  private static final class LongSet {
    private long[] values = new long[16];
    private int size;

    void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[size++] = v;
    }

    long[] sortedDistinct() {
      long[] v = Arrays.copyOf(values, size);
      Arrays.sort(v);
      int k = 0;
      for (int i = 0; i < v.length; i++) {
        if (i == 0 || v[i] != v[i - 1]) {
          v[k++] = v[i];
        }
      }
      return Arrays.copyOf(v, k);
    }
  }
}
