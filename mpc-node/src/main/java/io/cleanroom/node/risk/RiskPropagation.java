package io.cleanroom.node.risk;

import io.cleanroom.node.data.BankData;
import io.cleanroom.node.linkage.LinkedGraph;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.mpc.MaskedMatrix;
import io.cleanroom.protocol.study.PhaseProgress;
import io.cleanroom.protocol.study.Progress;
import java.util.Arrays;
import java.util.List;

/**
 * Linked-account risk on secret shares (design §4), in the manner of TNO's secure risk propagation
 * (r ← (1−δ)·r + δ·Σ_j (a_ji/A_i)·r_j), extended with identity edges.
 *
 * <ol>
 *   <li>Every party derives the same public {@link PropagationGraph} from the joint graph.
 *   <li>Each bank computes the weights of the edges into its own accounts from its own records
 *       ({@link LocalWeights}) and secret-shares them, and secret-shares the seeds of its accounts
 *       (alert, grey, else 0). Every other party receives uniformly random shares only.
 *   <li>The weight matrix, which includes the (1−δ) self-loops, is masked once; each of the T
 *       iterations is one masked sparse product (two rounds, 2·handles elements per party),
 *       whatever the number of edges.
 *   <li>Each bank receives the final risk of its own accounts: the others send it their shares and
 *       learn nothing.
 * </ol>
 *
 * <p>Error: weights and seeds are encoded with f fractional bits (error ≤ 2^−(f+1) each) and each
 * iteration truncates once (error &lt; 2^−f); with Σ_j M_ji ≤ 1 the error stays below (T + 1)·2^−f
 * plus the weights' encoding error, about 5·10^−6 for f = 20 and T = 4.
 */
public final class RiskPropagation {
  private RiskPropagation() {}

  /** The risk of each of this bank's accounts, by account index. */
  public static double[] run(Arithmetic a, BankData data, LinkedGraph linked, RiskParameters p) {
    return run(a, data, linked, p, Progress.NONE);
  }

  /**
   * The risk of each of this bank's accounts, by account index; {@code progress} hears the end of
   * each part: weights, seeds, the masked matrix, each iteration ({@link PhaseProgress}'s iteration
   * range) and each bank's release.
   */
  public static double[] run(
      Arithmetic a, BankData data, LinkedGraph linked, RiskParameters p, Progress progress) {
    List<String> parties = a.transport().parties();
    int self = a.transport().selfIndex();
    FixedPoint fp = a.fixedPoint();
    PropagationGraph g = new PropagationGraph(linked.graph());
    int[] owner = linked.graph().owner();

    long[] weights = new long[g.edges()];
    for (int q = 0; q < parties.size(); q++) {
      int[] edges = LocalWeights.ownedBy(g, owner, q);
      String step = "risk/weights/" + parties.get(q);
      long[] s =
          q == self
              ? a.inputOwn(step, fp.encode(LocalWeights.compute(data, linked, g, self, edges, p)))
              : a.inputFrom(step, parties.get(q), edges.length);
      scatter(s, edges, weights);
    }
    progress.report(0.1);

    int[][] handlesOf = handlesByOwner(owner, parties.size());
    long[] r = new long[g.handles()];
    for (int q = 0; q < parties.size(); q++) {
      String step = "risk/seeds/" + parties.get(q);
      long[] s =
          q == self
              ? a.inputOwn(step, fp.encode(seeds(data, linked, handlesOf[q], p)))
              : a.inputFrom(step, parties.get(q), handlesOf[q].length);
      scatter(s, handlesOf[q], r);
    }
    progress.report(0.15);

    MaskedMatrix m = a.maskMatrix("risk/matrix", g.src(), g.dst(), g.handles(), weights);
    Progress iterations =
        progress.part(
            PhaseProgress.PROPAGATE_ITERATIONS_FROM, PhaseProgress.PROPAGATE_ITERATIONS_TO);
    iterations.report(0);
    for (int t = 0; t < p.iterations(); t++) {
      r = m.times("risk/iteration/" + t, r);
      iterations.report(t + 1, p.iterations());
    }
    Progress release = progress.part(PhaseProgress.PROPAGATE_ITERATIONS_TO, 1);

    double[] own = null;
    for (int q = 0; q < parties.size(); q++) {
      long[] mine = new long[handlesOf[q].length];
      for (int k = 0; k < mine.length; k++) {
        mine[k] = r[handlesOf[q][k]];
      }
      long[] opened = a.openTo("risk/release/" + parties.get(q), parties.get(q), mine);
      if (q == self) {
        own = byAccount(fp.decode(opened), handlesOf[q], linked.handleOfAccount());
      }
      release.report(q + 1, parties.size());
    }
    return own;
  }

  private static void scatter(long[] values, int[] at, long[] into) {
    if (values.length != at.length) {
      throw new IllegalStateException("received " + values.length + " shares for " + at.length);
    }
    for (int k = 0; k < at.length; k++) {
      into[at[k]] = values[k];
    }
  }

  /** Each bank's handles, ascending. */
  private static int[][] handlesByOwner(int[] owner, int parties) {
    int[] count = new int[parties];
    for (int o : owner) {
      count[o]++;
    }
    int[][] out = new int[parties][];
    for (int q = 0; q < parties; q++) {
      out[q] = new int[count[q]];
    }
    int[] fill = new int[parties];
    for (int h = 0; h < owner.length; h++) {
      out[owner[h]][fill[owner[h]]++] = h;
    }
    return out;
  }

  /** Seeds of this bank's handles, in the order given. */
  private static double[] seeds(
      BankData data, LinkedGraph linked, int[] handles, RiskParameters p) {
    double[] byHandle = new double[linked.graph().handles()];
    for (int acc = 0; acc < data.accountCount(); acc++) {
      byHandle[linked.handleOfAccount()[acc]] = p.seed(data.alertLevel(acc));
    }
    double[] out = new double[handles.length];
    for (int k = 0; k < handles.length; k++) {
      out[k] = byHandle[handles[k]];
    }
    return out;
  }

  private static double[] byAccount(double[] values, int[] handles, int[] handleOfAccount) {
    int max = 0;
    for (int h : handles) {
      max = Math.max(max, h);
    }
    double[] byHandle = new double[max + 1];
    Arrays.fill(byHandle, Double.NaN);
    for (int k = 0; k < handles.length; k++) {
      byHandle[handles[k]] = values[k];
    }
    double[] out = new double[handleOfAccount.length];
    for (int acc = 0; acc < out.length; acc++) {
      out[acc] = byHandle[handleOfAccount[acc]];
    }
    return out;
  }
}
