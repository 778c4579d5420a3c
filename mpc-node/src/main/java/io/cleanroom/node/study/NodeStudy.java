package io.cleanroom.node.study;

import io.cleanroom.node.data.BankCounts;
import io.cleanroom.node.data.BankFolder;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.protocol.aggregate.SecureSum;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;

/**
 * One study as this node runs it. Phases run one at a time, in the order the task defines, each
 * started by the coordinator.
 */
final class NodeStudy {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final StudyPlan plan;
  private final String self;
  private final Path data;
  private final GrpcTransport transport;
  private final CorrelatedRandomness dealer;
  private BankCounts counts;

  NodeStudy(
      StudyPlan plan,
      String self,
      Path data,
      GrpcTransport transport,
      CorrelatedRandomness dealer) {
    this.plan = plan;
    this.self = self;
    this.data = data;
    this.transport = transport;
    this.dealer = dealer;
  }

  GrpcTransport transport() {
    return transport;
  }

  /** Runs one phase; returns what this node reports to the coordinator about it. */
  StepReport run(String phase) throws Exception {
    long bytesBefore = transport.bytesSent();
    StepReport.Builder report =
        StepReport.newBuilder().setPhase(phase).setDone(true).setProgress(1);
    switch (phase) {
      case "load" -> {
        counts = BankFolder.load(data, self, new HashSet<>(plan.getParticipantsList()));
      }
      case "aggregate" -> {
        if (counts == null) {
          throw new IllegalStateException("aggregate before load");
        }
        long[] own = {
          counts.accounts(),
          counts.transactionsSent(),
          counts.alertAccounts(),
          counts.greyAccounts()
        };
        long[] totals =
            SecureSum.sumAndOpen(
                new AdditiveSharing(transport, Prg.fresh(RANDOM)), "aggregate/counts", own);
        List<String> names = Tasks.COUNT_TOTALS;
        for (int i = 0; i < names.size(); i++) {
          report.addOpened(Aggregate.newBuilder().setName(names.get(i)).setValue(totals[i]));
        }
      }
      case "multiply" -> multiplyRandom(report);
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
    return report.setBytesSent(transport.bytesSent() - bytesBefore).build();
  }

  /**
   * The engine benchmark: Beaver-multiplies n pairs of random shared values (each node's shares are
   * its own random draws; the secrets are their sums), then opens the first 1000 factors and
   * products — random values, not data — and counts products that do not match.
   */
  private void multiplyRandom(StepReport.Builder report) {
    int n = Integer.parseInt(plan.getParametersOrDefault("n", "1000000"));
    Prg prg = Prg.fresh(RANDOM);
    long[] x = prg.next(n);
    long[] y = prg.next(n);
    Arithmetic a = new Arithmetic(transport, dealer, new FixedPoint(plan.getFractionBits()), prg);
    long[] z = a.mul("bench/mul", x, y);
    int k = Math.min(n, 1000);
    long[] sample = new long[3 * k];
    System.arraycopy(x, 0, sample, 0, k);
    System.arraycopy(y, 0, sample, k, k);
    System.arraycopy(z, 0, sample, 2 * k, k);
    long[] opened = a.open("bench/check", sample);
    long mismatches = 0;
    for (int i = 0; i < k; i++) {
      if (opened[2 * k + i] != opened[i] * opened[k + i]) {
        mismatches++;
      }
    }
    report
        .addOpened(Aggregate.newBuilder().setName("multiplications").setValue(n))
        .addOpened(Aggregate.newBuilder().setName("checked").setValue(k))
        .addOpened(Aggregate.newBuilder().setName("mismatches").setValue(mismatches));
  }
}
