package io.cleanroom.node.risk;

import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.CrossBankFlows;
import io.cleanroom.node.data.Flows;
import io.cleanroom.node.linkage.LinkedGraph;
import java.util.Arrays;

/**
 * The propagation weights of the edges into this bank's accounts, computed from its own records, in
 * plaintext, at the bank: M_ji = δ·((1−λ_i)·f_ji + λ_i·g_ji) + (1−δ)·[j = i], with f_ji = a_ji/A_i
 * over the transfers i received from accounts of the study, g_ji = 1/|N(i)| over i's identity
 * neighbours, and λ_i = λ with both, 1 with identity neighbours only, 0 otherwise (design §4).
 * Transfers from accounts outside the study have no handle and, as in the reference, do not count
 * towards A_i.
 */
final class LocalWeights {
  private LocalWeights() {}

  /**
   * The weights of the edges whose receiver this bank owns, in edge order.
   *
   * @return weights of {@code ownEdges}
   */
  static double[] compute(
      BankData data,
      LinkedGraph linked,
      PropagationGraph g,
      int self,
      int[] ownEdges,
      RiskParameters p) {
    double[] amount = new double[g.edges()];
    double[] received = new double[g.handles()];
    Flows intra = data.flows();
    int[] handle = linked.handleOfAccount();
    for (int e = 0; e < intra.size(); e++) {
      add(g, amount, received, handle[intra.src(e)], handle[intra.dst(e)], intra.amount(e));
    }
    CrossBankFlows in = data.incoming();
    for (int e = 0; e < in.size(); e++) {
      int sender = linked.incomingCounterparts()[e];
      if (sender >= 0) {
        add(g, amount, received, sender, handle[in.account(e)], in.amount(e));
      }
    }
    double[] w = new double[ownEdges.length];
    for (int k = 0; k < ownEdges.length; k++) {
      int e = ownEdges[k];
      int i = g.dst()[e];
      int j = g.src()[e];
      if (linked.graph().owner()[i] != self) {
        throw new IllegalArgumentException("edge " + e + " is not into this bank's account");
      }
      boolean hasFlow = received[i] > 0;
      int deg = g.identityDegree(i);
      double lambda = hasFlow && deg > 0 ? p.lambda() : deg > 0 ? 1.0 : 0.0;
      double f = hasFlow ? amount[e] / received[i] : 0.0;
      double gij = deg > 0 && j != i && isIdentityEdge(linked, j, i) ? 1.0 / deg : 0.0;
      w[k] = p.delta() * ((1 - lambda) * f + lambda * gij) + (j == i ? 1 - p.delta() : 0.0);
    }
    return w;
  }

  private static void add(
      PropagationGraph g, double[] amount, double[] received, int sender, int receiver, double a) {
    int e = g.find(sender, receiver);
    if (e < 0) {
      throw new IllegalStateException("flow " + sender + " → " + receiver + " is not in the graph");
    }
    amount[e] += a;
    received[receiver] += a;
  }

  /** Whether the joint graph has the identity edge j → i (its identity columns are sorted). */
  private static boolean isIdentityEdge(LinkedGraph linked, int j, int i) {
    int[] src = linked.graph().identitySrc();
    int[] dst = linked.graph().identityDst();
    long key = ((long) j << 32) | (i & 0xffffffffL);
    int a = 0;
    int b = src.length - 1;
    while (a <= b) {
      int mid = (a + b) >>> 1;
      long k = ((long) src[mid] << 32) | (dst[mid] & 0xffffffffL);
      if (k == key) {
        return true;
      }
      if (k < key) {
        a = mid + 1;
      } else {
        b = mid - 1;
      }
    }
    return false;
  }

  /** Edges of {@code g} whose receiver bank {@code self} owns, in edge order. */
  static int[] ownedBy(PropagationGraph g, int[] owner, int self) {
    int[] out = new int[g.edges()];
    int n = 0;
    for (int e = 0; e < g.edges(); e++) {
      if (owner[g.dst()[e]] == self) {
        out[n++] = e;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
