package io.cleanroom.node.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.model.SyntheticRows;
import io.cleanroom.eval.model.TrainingParameters;
import io.cleanroom.eval.study.StudyEvaluation;
import io.cleanroom.node.data.AlertLevel;
import io.cleanroom.node.data.BankCounts;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.BankFolder;
import io.cleanroom.node.linkage.LinkageClient;
import io.cleanroom.node.linkage.LinkedGraph;
import io.cleanroom.node.model.EvaluationPhase;
import io.cleanroom.node.model.TrainingPhase;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.risk.RiskParameters;
import io.cleanroom.node.risk.RiskPropagation;
import io.cleanroom.node.store.SessionStore;
import io.cleanroom.protocol.aggregate.SecureSum;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.study.Progress;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.OpenedModel;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.grpc.Channel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * One study as this node runs it. Phases run one at a time, in the order the task defines, each
 * started by the coordinator.
 */
final class NodeStudy {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StudyPlan plan;
  private final BankData data;
  private final GrpcTransport transport;
  private final CorrelatedRandomness dealer;
  private final Channel coordinator;
  private final SessionStore store;
  private final Path outputs;
  private LinkedGraph linked;
  private double[] linkedRisk;
  private TrainingPhase.Outcome trained;

  /**
   * @param store where the study's intermediate results go, encrypted, until the study ends
   * @param outputs folder for what this bank is entitled to keep from the study, where it waits
   *     until the study releases it
   */
  NodeStudy(
      StudyPlan plan,
      BankData data,
      GrpcTransport transport,
      CorrelatedRandomness dealer,
      Channel coordinator,
      SessionStore store,
      Path outputs) {
    this.plan = plan;
    this.data = data;
    this.transport = transport;
    this.dealer = dealer;
    this.coordinator = coordinator;
    this.store = store;
    this.outputs = outputs;
  }

  GrpcTransport transport() {
    return transport;
  }

  /**
   * Runs one phase; returns what this node reports to the coordinator about it. The long phases
   * (link, propagate, train, evaluate, fit) tell {@code progress} how far they are.
   */
  StepReport run(String phase, Progress progress) throws Exception {
    long bytesBefore = transport.bytesSent();
    long batchesBefore = transport.batchesSent();
    transport.takeSentDigests();
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
      case "link" -> link(progress);
      case "propagate" -> propagate(progress);
      case "train" -> train(report, progress);
      case Tasks.EVALUATE -> evaluate(report, progress);
      case "fit" -> fitSynthetic(report, progress);
      default -> throw new IllegalArgumentException("unknown phase " + phase);
    }
    transport
        .takeSentDigests()
        .forEach((to, digest) -> report.putSentSha256(to, ByteString.copyFrom(digest)));
    return report
        .setBytesSent(transport.bytesSent() - bytesBefore)
        .setBatchesSent(transport.batchesSent() - batchesBefore)
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
   * Links this bank's accounts into the joint graph and writes the handle of each of its accounts
   * (only this bank can connect the two) to the session store, as {@code link-<bank>.csv}: an
   * intermediate result, destroyed with the study.
   */
  private void link(Progress progress) throws IOException {
    linked =
        new LinkageClient(
                data, transport, coordinator, Duration.ofSeconds(plan.getTimeoutSeconds()), RANDOM)
            .link(progress);
    try (BufferedWriter w =
        new BufferedWriter(
            new OutputStreamWriter(
                store.openWriter("link-" + data.bankId() + ".csv"), StandardCharsets.UTF_8))) {
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
  private void propagate(Progress progress) throws IOException {
    if (linked == null) {
      throw new IllegalStateException("propagate before link");
    }
    RiskParameters p = RiskParameters.of(plan.getParametersMap());
    Arithmetic a = arithmetic();
    double[] risk = RiskPropagation.run(a, data, linked, p, progress);
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
  private void train(StepReport.Builder report, Progress progress) throws IOException {
    if (linkedRisk == null) {
      throw new IllegalStateException("train before propagate");
    }
    Arithmetic a = arithmetic();
    int[] rowsByOwner = new int[plan.getParticipantsCount()];
    for (int o : linked.graph().owner()) {
      rowsByOwner[o]++;
    }
    trained = TrainingPhase.run(a, data, linkedRisk, rowsByOwner, plan, outputs, RANDOM, progress);
    reportModel(report, a.fixedPoint(), trained.model(), trained.rows(), trained.positives());
  }

  /**
   * Evaluates the joint model on shares ({@link EvaluationPhase}) and reports to the coordinator
   * the opened totals, this bank's own data-quality counts and the model every participant holds,
   * so that the coordinator can read the totals; keeps {@code explanations/<bank>.csv}.
   */
  private void evaluate(StepReport.Builder report, Progress progress) throws IOException {
    if (trained == null) {
      throw new IllegalStateException("evaluate before train");
    }
    EvaluationPhase.Result r =
        EvaluationPhase.run(
            transport,
            data,
            trained,
            StudyEvaluation.of(plan.getParametersMap()),
            outputs,
            RANDOM,
            progress);
    LogisticModel m = trained.model();
    report
        .addAllOpenedVectors(r.totals())
        .addOwnVectors(r.dataQuality())
        .setExplanationsWritten(true)
        .setModel(
            OpenedModel.newBuilder()
                .addAllFeatures(m.features())
                .addAllMeans(Arrays.stream(m.means()).boxed().toList())
                .addAllStds(Arrays.stream(m.stds()).boxed().toList())
                .setWinsorize(m.winsorize())
                .addAllWeights(Arrays.stream(m.weights()).boxed().toList())
                .setIntercept(m.intercept())
                // Sorted, so that every participant reports the same text.
                .setProvenance(JSON.writeValueAsString(new TreeMap<>(trained.facts()))));
  }

  /**
   * The training benchmark: trains the joint model, exactly as the {@code train} phase does, on
   * this node's slice of rows drawn from the plan's public seed ({@link SyntheticRows}) instead of
   * its accounts, and reports the opened weights.
   */
  private void fitSynthetic(StepReport.Builder report, Progress progress) {
    Arithmetic a = arithmetic();
    SyntheticRows spec = SyntheticRows.of(plan.getParametersMap());
    int parties = plan.getParticipantsCount();
    FeatureRows rows = spec.part(a.transport().selfIndex(), parties);
    int[] rowsByOwner = spec.rowsByOwner(parties);
    TrainingParameters p = TrainingParameters.of(plan.getParametersMap());
    TrainingPhase.Standardised s =
        TrainingPhase.standardise(a, rows, rowsByOwner, p.winsorize(), RANDOM);
    TrainingPhase.Trained trained =
        TrainingPhase.train(
            a,
            rows,
            s,
            rowsByOwner,
            p,
            TrainingPhase.batchSeed(plan.getStudyId()),
            RANDOM,
            progress);
    reportModel(report, a.fixedPoint(), trained.model(), s.rows(), s.positives());
    report.addOpened(
        Aggregate.newBuilder().setName("clamped_row_steps").setValue(trained.clampedRowSteps()));
  }

  /** Reports the opened weights, the intercept and the pooled row counts to the coordinator. */
  private static void reportModel(
      StepReport.Builder report, FixedPoint fp, LogisticModel model, long rows, long positives) {
    List<String> names = model.features();
    for (int j = 0; j < names.size(); j++) {
      report.addOpened(
          Aggregate.newBuilder()
              .setName("weight/" + names.get(j))
              .setValue(fp.encode(model.weights()[j])));
    }
    report
        .addOpened(
            Aggregate.newBuilder().setName("intercept").setValue(fp.encode(model.intercept())))
        .addOpened(Aggregate.newBuilder().setName("rows").setValue(rows))
        .addOpened(Aggregate.newBuilder().setName("alert_rows").setValue(positives));
  }

  private Arithmetic arithmetic() {
    return new Arithmetic(
        transport, dealer, new FixedPoint(plan.getFractionBits()), Prg.fresh(RANDOM));
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
