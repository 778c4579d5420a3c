package io.cleanroom.node.study;

import io.cleanroom.node.data.BankCounts;
import io.cleanroom.node.data.BankFolder;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.protocol.aggregate.SecureSum;
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
  private BankCounts counts;

  NodeStudy(StudyPlan plan, String self, Path data, GrpcTransport transport) {
    this.plan = plan;
    this.self = self;
    this.data = data;
    this.transport = transport;
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
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
    return report.setBytesSent(transport.bytesSent() - bytesBefore).build();
  }
}
