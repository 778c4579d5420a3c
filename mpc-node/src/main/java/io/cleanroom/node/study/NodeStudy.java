package io.cleanroom.node.study;

import io.cleanroom.node.data.AlertLevel;
import io.cleanroom.node.data.BankCounts;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.BankFolder;
import io.cleanroom.node.linkage.LinkageClient;
import io.cleanroom.node.linkage.LinkedGraph;
import io.cleanroom.node.model.TrainingPhase;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.risk.RiskParameters;
import io.cleanroom.node.risk.RiskPropagation;
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
import io.grpc.Channel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * One study as this node runs it. Phases run one at a time, in the order the task defines, each
 * started by the coordinator.
 */
final class NodeStudy {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final StudyPlan plan;
  private final BankData data;
  private final GrpcTransport transport;
  private final CorrelatedRandomness dealer;
  private final Channel coordinator;
  private final Path outputs;
  private LinkedGraph linked;
  private double[] linkedRisk;

  /**
   * @param outputs folder for what this bank is entitled to keep from the study
   */
  NodeStudy(
      StudyPlan plan,
      BankData data,
      GrpcTransport transport,
      CorrelatedRandomness dealer,
      Channel coordinator,
      Path outputs) {
    this.plan = plan;
    this.data = data;
    this.transport = transport;
    this.dealer = dealer;
    this.coordinator = coordinator;
    this.outputs = outputs;
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
        // The node validated its input at start-up; nothing is read here.
      }
      case "aggregate" -> {
        BankCounts c = BankFolder.counts(data, new HashSet<>(plan.getParticipantsList()));
        long[] own = {c.accounts(), c.transactionsSent(), c.alertAccounts(), c.greyAccounts()};
        long[] totals =
            SecureSum.sumAndOpen(
                new AdditiveSharing(transport, Prg.fresh(RANDOM)), "aggregate/counts", own);
        List<String> names = Tasks.COUNT_TOTALS;
        for (int i = 0; i < names.size(); i++) {
          report.addOpened(Aggregate.newBuilder().setName(names.get(i)).setValue(totals[i]));
        }
      }
      case "multiply" -> multiplyRandom(report);
      case "link" -> link();
      case "propagate" -> propagate();
      case "train" -> train(report);
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
    return report
        .setBytesSent(transport.bytesSent() - bytesBefore)
        .setPeakHeapBytes(peakHeap())
        .build();
  }

  /** The sum of the heap pools' peak use since the node started. */
  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /**
   * Links this bank's accounts into the joint graph and keeps, among its outputs, the handle of
   * each of its accounts (only this bank can connect the two).
   */
  private void link() throws IOException {
    linked =
        new LinkageClient(
                data, transport, coordinator, Duration.ofSeconds(plan.getTimeoutSeconds()), RANDOM)
            .link();
    Files.createDirectories(outputs.resolve("link"));
    try (BufferedWriter w =
        Files.newBufferedWriter(outputs.resolve("link").resolve(data.bankId() + ".csv"))) {
      w.write("account_id,handle\n");
      for (int a = 0; a < data.accountCount(); a++) {
        w.write(data.accountId(a) + "," + linked.handleOfAccount()[a] + "\n");
      }
    }
  }

  /**
   * Propagates risk on shares and keeps {@code risk/<bank>.csv}: the risk of each of this bank's
   * accounts and whether it goes on the grey list (not an alert account, risk ≥ θ).
   */
  private void propagate() throws IOException {
    if (linked == null) {
      throw new IllegalStateException("propagate before link");
    }
    RiskParameters p = RiskParameters.of(plan.getParametersMap());
    Arithmetic a =
        new Arithmetic(
            transport, dealer, new FixedPoint(plan.getFractionBits()), Prg.fresh(RANDOM));
    double[] risk = RiskPropagation.run(a, data, linked, p);
    double own = Math.pow(1 - p.delta(), p.iterations());
    linkedRisk = new double[risk.length];
    for (int acc = 0; acc < risk.length; acc++) {
      linkedRisk[acc] = risk[acc] - own * p.seed(data.alertLevel(acc));
    }
    Files.createDirectories(outputs.resolve("risk"));
    try (BufferedWriter w =
        Files.newBufferedWriter(outputs.resolve("risk").resolve(data.bankId() + ".csv"))) {
      w.write("account_id,risk,grey_list\n");
      for (int acc = 0; acc < data.accountCount(); acc++) {
        boolean grey = data.alertLevel(acc) != AlertLevel.ALERT && risk[acc] >= p.theta();
        w.write(
            data.accountId(acc)
                + ","
                + String.format(Locale.ROOT, "%.9f", risk[acc])
                + ","
                + grey
                + "\n");
      }
    }
  }

  /**
   * Trains the joint model on shares (design §3 step 6) and keeps the model, this bank's feature
   * rows and the scores of its accounts; reports the opened weights to the coordinator.
   */
  private void train(StepReport.Builder report) throws IOException {
    if (linkedRisk == null) {
      throw new IllegalStateException("train before propagate");
    }
    Arithmetic a =
        new Arithmetic(
            transport, dealer, new FixedPoint(plan.getFractionBits()), Prg.fresh(RANDOM));
    int[] rowsByOwner = new int[plan.getParticipantsCount()];
    for (int o : linked.graph().owner()) {
      rowsByOwner[o]++;
    }
    TrainingPhase.Outcome o =
        TrainingPhase.run(a, data, linkedRisk, rowsByOwner, plan, outputs, RANDOM);
    FixedPoint fp = a.fixedPoint();
    List<String> names = o.model().features();
    for (int j = 0; j < names.size(); j++) {
      report.addOpened(
          Aggregate.newBuilder()
              .setName("weight/" + names.get(j))
              .setValue(fp.encode(o.model().weights()[j])));
    }
    report
        .addOpened(
            Aggregate.newBuilder().setName("intercept").setValue(fp.encode(o.model().intercept())))
        .addOpened(Aggregate.newBuilder().setName("rows").setValue(o.rows()))
        .addOpened(Aggregate.newBuilder().setName("alert_rows").setValue(o.positives()));
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
