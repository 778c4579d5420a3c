package io.cleanroom.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.coordinator.study.StudyDriver;
import io.cleanroom.coordinator.study.StudyHistory;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.CheckpointVerifier;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.logging.LogContext;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Destroyed;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.Hello;
import io.cleanroom.protocol.wire.v1.Join;
import io.cleanroom.protocol.wire.v1.LogCheckpoint;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.ReleasedOutput;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's services over real mutual TLS, driven by hand-made clients. */
class CoordinatorServicesTest {

  /** The kinds of the log entries of a two-bank study that ends DESTROYED, in order. */
  private static final List<EntryKind> TWO_BANK_STUDY_KINDS =
      List.of(
          EntryKind.PLAN,
          EntryKind.STATE,
          EntryKind.JOIN,
          EntryKind.JOIN,
          EntryKind.STEP_START,
          EntryKind.STEP_END,
          EntryKind.STEP_START,
          EntryKind.STEP_END,
          EntryKind.RELEASE,
          EntryKind.REPORT,
          EntryKind.STATE,
          EntryKind.STEP_START,
          EntryKind.RELEASE,
          EntryKind.RELEASE,
          EntryKind.RELEASE,
          EntryKind.STEP_END,
          EntryKind.STEP_START,
          EntryKind.DESTRUCTION,
          EntryKind.DESTRUCTION,
          EntryKind.STEP_END,
          EntryKind.STATE);

  @TempDir Path temp;
  private Coordinator coordinator;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ConsortiumPki.init(temp.resolve("pki"), List.of("bank-a", "bank-b"), List.of());
    coordinator = TestCoordinators.start(temp);
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    coordinator.stop();
  }

  private ManagedChannel channelAs(String party) throws Exception {
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + coordinator.port(),
                MutualTls.channelCredentials(
                    TlsMaterial.loadDir(temp.resolve("pki").resolve(party)),
                    new PartyIdentity("coordinator", Role.COORDINATOR)))
            .overrideAuthority("coordinator")
            .build();
    channels.add(ch);
    return ch;
  }

  private static StudyPlan plan() {
    return StudyPlan.newBuilder()
        .addParticipants("bank-a")
        .addParticipants("bank-b")
        .setTimeoutSeconds(20)
        .build();
  }

  private Iterator<StudyProgress> runStudy(StudyPlan plan) throws Exception {
    return OperatorGrpc.newBlockingStub(channelAs("operator"))
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .runStudy(plan);
  }

  private static StudySummary finalSummary(Iterator<StudyProgress> it) {
    while (it.hasNext()) {
      StudyProgress p = it.next();
      if (p.hasSummary()) {
        return p.getSummary();
      }
    }
    throw new AssertionError("no summary");
  }

  @Test
  void nodeCertificate_mayNotRunStudies() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                OperatorGrpc.newBlockingStub(channelAs("bank-a"))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .runStudy(plan())
                    .hasNext());
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("the operator role is required"));
  }

  @Test
  void invalidPlan_isRefused() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                OperatorGrpc.newBlockingStub(channelAs("operator"))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .runStudy(StudyPlan.newBuilder().addParticipants("bank-a").build())
                    .hasNext());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("at least 2 participants"));
  }

  /** Every progress message of a run, up to and including the one with the summary. */
  private static List<StudyProgress> allProgress(Iterator<StudyProgress> it) {
    List<StudyProgress> all = new ArrayList<>();
    while (it.hasNext()) {
      StudyProgress p = it.next();
      all.add(p);
      if (p.hasSummary()) {
        return all;
      }
    }
    throw new AssertionError("no summary");
  }

  /** A log record and the log context of the thread that logged it. */
  private record Logged(String message, LogContext.Context context) {}

  @Test
  void notDoneReports_areProgressOnly_combinedAsTheMinimum_andBadOnesIgnored() throws Exception {
    // Held strongly: java.util.logging forgets loggers nobody references, and their handlers.
    Logger driverLog = Logger.getLogger(StudyDriver.class.getName());
    List<Logged> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(new Logged(r.getMessage(), LogContext.current()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    driverLog.addHandler(capture);
    try {
      FakeNode a = new FakeNode("bank-a");
      FakeNode b = new FakeNode("bank-b");
      a.hello();
      b.hello();
      Iterator<StudyProgress> progress = runStudy(plan());
      for (FakeNode n : List.of(a, b)) {
        n.join(n.next(), n.tls);
      }
      for (String phase : List.of("load", "aggregate")) {
        CoordinatorMessage startA = a.next();
        CoordinatorMessage startB = b.next();
        if (phase.equals("aggregate")) {
          // Not-done reports: progress only. The bogus total in one must not count.
          a.reply(
              startA,
              NodeMessage.newBuilder()
                  .setStepReport(
                      StepReport.newBuilder()
                          .setPhase(phase)
                          .setProgress(0.3)
                          .addOpened(Aggregate.newBuilder().setName("accounts").setValue(999))));
          b.reply(startB, progressReport(phase, 0.5));
          b.reply(startB, progressReport(phase, 0.2)); // lower than its last: ignored
          a.reply(startA, progressReport(phase, Double.NaN)); // not a fraction: ignored
          a.reply(startA, progressReport(phase, 1.7)); // not a fraction: ignored
        }
        for (FakeNode n : List.of(a, b)) {
          StepReport.Builder report =
              StepReport.newBuilder().setPhase(phase).setDone(true).setProgress(1);
          if (phase.equals("aggregate")) {
            report.addOpened(Aggregate.newBuilder().setName("accounts").setValue(1234));
          }
          n.reply(n == a ? startA : startB, NodeMessage.newBuilder().setStepReport(report));
        }
      }
      for (FakeNode n : List.of(a, b)) {
        CoordinatorMessage release = n.next();
        n.reply(
            release,
            NodeMessage.newBuilder()
                .setStepReport(
                    StepReport.newBuilder().setPhase(StudyState.RELEASE_STEP).setDone(true)));
      }
      for (FakeNode n : List.of(a, b)) {
        n.destroyed(n.next());
      }
      List<StudyProgress> messages = allProgress(progress);
      StudySummary summary = messages.get(messages.size() - 1).getSummary();
      assertEquals("DESTROYED", summary.getState(), summary.getAbortReason());
      assertEquals(
          List.of(Aggregate.newBuilder().setName("accounts").setValue(1234).build()),
          summary.getTotalsList());

      // The phase's progress: started (0), the minimum of 0.3 and 0.5, done (1); never a bad
      // value, never backwards.
      List<StudyProgress> aggregate =
          messages.stream().filter(m -> m.getPhase().equals("aggregate")).toList();
      List<Double> fractions = aggregate.stream().map(StudyProgress::getProgress).toList();
      assertEquals(0.0, fractions.get(0));
      assertEquals(1.0, fractions.get(fractions.size() - 1));
      assertTrue(fractions.contains(0.3), fractions.toString());
      for (int i = 1; i < fractions.size(); i++) {
        assertTrue(fractions.get(i) >= fractions.get(i - 1), fractions.toString());
      }
      assertTrue(List.of(0.0, 0.3, 0.5, 1.0).containsAll(fractions), fractions.toString());
      assertTrue(
          aggregate.stream().anyMatch(m -> m.getMessage().equals("phase aggregate 30%")),
          aggregate.toString());
      assertEquals(
          1, aggregate.stream().filter(m -> m.getProgress() == 1.0).count(), aggregate.toString());

      // The protocol log is exactly what it is without progress reports.
      List<LogEntry> entries =
          LogEntries.read(temp.resolve("records").resolve(summary.getStudyId()).resolve("log"));
      assertEquals(TWO_BANK_STUDY_KINDS, entries.stream().map(LogEntry::kind).toList());
      assertTrue(entries.stream().noneMatch(e -> e.body().contains("999")));

      // Every line the driver logged names the study; the ignored progress names its step.
      String id = summary.getStudyId();
      assertTrue(logged.size() >= 3, logged.toString());
      for (Logged l : logged) {
        assertEquals(id, l.context().study(), l.toString());
        assertEquals("coordinator", l.context().party(), l.toString());
      }
      List<Logged> ignored =
          logged.stream().filter(l -> l.message().contains("ignored a progress")).toList();
      assertEquals(2, ignored.size(), ignored.toString());
      for (Logged l : ignored) {
        assertEquals("phase/aggregate", l.context().step(), l.toString());
      }
      assertTrue(ignored.stream().anyMatch(l -> l.message().contains("0.2 from bank-b")));
      assertTrue(ignored.stream().anyMatch(l -> l.message().contains("NaN from bank-a")));
      assertTrue(
          logged.stream()
              .anyMatch(
                  l -> l.message().contains("opened") && l.context().step().equals("control/open")),
          logged.toString());
    } finally {
      driverLog.removeHandler(capture);
    }
  }

  private static NodeMessage.Builder progressReport(String phase, double fraction) {
    return NodeMessage.newBuilder()
        .setStepReport(StepReport.newBuilder().setPhase(phase).setProgress(fraction));
  }

  /** A hand-driven node control session. */
  private final class FakeNode implements StreamObserver<CoordinatorMessage> {
    final BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
    final List<LogCheckpoint> checkpoints = new ArrayList<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final StreamObserver<NodeMessage> out;
    final TlsMaterial tls;
    long seq;

    FakeNode(String party) throws Exception {
      tls = TlsMaterial.loadDir(temp.resolve("pki").resolve(party));
      out =
          CoordinationGrpc.newStub(channelAs(party))
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .session(this);
    }

    /** The next message that is not a checkpoint; checkpoints are kept in {@link #checkpoints}. */
    CoordinatorMessage next() throws InterruptedException {
      while (true) {
        CoordinatorMessage m = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message from the coordinator");
        if (!m.hasCheckpoint()) {
          return m;
        }
        checkpoints.add(m.getCheckpoint());
      }
    }

    /** Answers {@code m} on its study and step. */
    void reply(CoordinatorMessage m, NodeMessage.Builder answer) {
      send(m.getHeader().getStudyId(), m.getHeader().getStep(), ++seq, answer);
    }

    void join(CoordinatorMessage open, TlsMaterial signer) throws Exception {
      reply(
          open,
          NodeMessage.newBuilder()
              .setJoin(
                  Join.newBuilder()
                      .setPlanDigest(open.getOpen().getPlanDigest())
                      .setSignature(
                          ByteString.copyFrom(
                              signer.sign(open.getOpen().getPlanDigest().toByteArray())))));
    }

    /** Sends a signed receipt for destroying an empty session store. */
    void destroyed(CoordinatorMessage m) throws Exception {
      DestructionReceipt r =
          new DestructionReceipt.Unsigned(
                  m.getHeader().getStudyId(), 0, 0, EMPTY_LISTING, System.currentTimeMillis())
              .sign(tls);
      reply(
          m,
          NodeMessage.newBuilder()
              .setDestroyed(
                  Destroyed.newBuilder()
                      .setFiles(r.files())
                      .setBytes(r.bytes())
                      .setListingSha256(r.listingSha256())
                      .setDestroyedAtMillis(r.destroyedAtMillis())
                      .setSignature(ByteString.copyFrom(r.signature()))));
    }

    void send(String study, String step, long seq, NodeMessage.Builder m) {
      out.onNext(
          m.setHeader(Header.newBuilder().setStudyId(study).setStep(step).setSeq(seq)).build());
    }

    void hello() throws InterruptedException {
      send(
          "",
          "control/hello",
          ++seq,
          NodeMessage.newBuilder().setHello(Hello.getDefaultInstance()));
      assertTrue(received.poll(5, TimeUnit.SECONDS).hasWelcome());
    }

    @Override
    public void onNext(CoordinatorMessage m) {
      received.add(m);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }

  @Test
  void operatorCertificate_mayNotOpenAControlSession() throws Exception {
    FakeNode fake = new FakeNode("operator");
    fake.send(
        "", "control/hello", 1, NodeMessage.newBuilder().setHello(Hello.getDefaultInstance()));
    Status s = fake.ended.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
    assertTrue(s.getDescription().contains("control sessions are for nodes"));
  }

  @Test
  void outOfSequenceControlMessage_endsTheSession() throws Exception {
    FakeNode node = new FakeNode("bank-a");
    node.hello();
    node.send(
        "", "control/hello", 5, NodeMessage.newBuilder().setHello(Hello.getDefaultInstance()));
    Status s = node.ended.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("seq 5, expected 2"), s.getDescription());
  }

  @Test
  void missingParticipant_abortsTheStudy() throws Exception {
    FakeNode a = new FakeNode("bank-a");
    a.hello();
    StudySummary summary = finalSummary(runStudy(plan()));
    assertEquals("ABORTED", summary.getState());
    assertTrue(summary.getAbortReason().contains("not connected"), summary.getAbortReason());
    assertTrue(summary.getAbortReason().contains("bank-b"), summary.getAbortReason());
  }

  @Test
  void joinWithForgedSignature_abortsTheStudyAtEveryParticipant() throws Exception {
    FakeNode a = new FakeNode("bank-a");
    FakeNode b = new FakeNode("bank-b");
    a.hello();
    b.hello();
    Iterator<StudyProgress> progress = runStudy(plan());
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage open = n.next();
      assertTrue(open.hasOpen());
      // bank-b signs with bank-a's key: a valid signature, but not bank-b's
      n.join(open, a.tls);
    }
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage abort = n.next();
      assertTrue(abort.hasAbort(), abort.toString());
      n.destroyed(abort);
    }
    StudySummary summary = finalSummary(progress);
    assertEquals("ABORTED", summary.getState());
    assertTrue(
        summary.getAbortReason().contains("bank-b's signature over the plan does not verify"),
        summary.getAbortReason());

    Path log = temp.resolve("records").resolve(summary.getStudyId()).resolve("log");
    assertTrue(LogVerifier.verify(log).ok(), LogVerifier.verify(log).summary());
    // The joins arrive on separate streams: bank-a's is logged only if the coordinator takes it
    // before bank-b's forged one aborts the study; bank-b's never is.
    List<LogEntry> entries = LogEntries.read(log);
    List<LogEntry> joins = entries.stream().filter(e -> e.kind() == EntryKind.JOIN).toList();
    assertTrue(joins.size() <= 1, joins.size() + " joins logged");
    joins.forEach(j -> assertTrue(j.body().contains("\"node\":\"bank-a\""), j.body()));
    List<LogEntry> rest = entries.stream().filter(e -> e.kind() != EntryKind.JOIN).toList();
    assertEquals(
        List.of(
            EntryKind.PLAN,
            EntryKind.STATE,
            EntryKind.ABORT,
            EntryKind.STATE,
            EntryKind.DESTRUCTION,
            EntryKind.DESTRUCTION),
        rest.stream().map(LogEntry::kind).toList());
    assertTrue(rest.get(2).body().contains("bank-b's signature over the plan does not verify"));
    assertEquals("{\"state\":\"ABORTED\"}", rest.get(3).body());
  }

  @Test
  void study_endsDestroyed_withAVerifiableLogAndConsistentCheckpoints() throws Exception {
    FakeNode a = new FakeNode("bank-a");
    FakeNode b = new FakeNode("bank-b");
    a.hello();
    b.hello();
    Iterator<StudyProgress> progress = runStudy(plan());
    LogPublicKey key = null;
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage open = n.next();
      key = LogPublicKey.fromRaw(open.getOpen().getLogKey().toByteArray());
      n.join(open, n.tls);
    }
    for (String phase : List.of("load", "aggregate")) {
      for (FakeNode n : List.of(a, b)) {
        CoordinatorMessage start = n.next();
        assertEquals(phase, start.getStartStep().getPhase());
        StepReport.Builder report =
            StepReport.newBuilder()
                .setPhase(phase)
                .setDone(true)
                .setBytesSent(64)
                .putSentSha256(n == a ? "bank-b" : "bank-a", ByteString.copyFrom(new byte[32]));
        if (phase.equals("aggregate")) {
          report.addOpened(Aggregate.newBuilder().setName("accounts").setValue(1234));
        }
        n.reply(start, NodeMessage.newBuilder().setStepReport(report));
      }
    }
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage release = n.next();
      assertEquals(StudyState.RELEASE_STEP, release.getStartStep().getPhase());
      n.reply(
          release,
          NodeMessage.newBuilder()
              .setStepReport(
                  StepReport.newBuilder()
                      .setPhase(StudyState.RELEASE_STEP)
                      .setDone(true)
                      .addReleased(
                          ReleasedOutput.newBuilder()
                              .setPath("risk/x.csv")
                              .setSha256(ByteString.copyFrom(new byte[32])))));
    }
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage destroy = n.next();
      assertEquals(StudyState.DESTROY_STEP, destroy.getStartStep().getPhase());
      n.destroyed(destroy);
    }
    for (FakeNode n : List.of(a, b)) {
      assertEquals("DESTROYED", n.next().getClose().getState());
    }
    StudySummary summary = finalSummary(progress);
    assertEquals("DESTROYED", summary.getState(), summary.getAbortReason());
    assertEquals(1234, summary.getTotals(0).getValue());

    Path records = temp.resolve("records").resolve(summary.getStudyId());
    LogVerifier.Result verified = LogVerifier.verify(records.resolve("log"), key);
    assertTrue(verified.ok(), verified.summary());
    List<LogEntry> entries = LogEntries.read(records.resolve("log"));
    assertEquals(summary.getLogEntries(), entries.size());
    assertEquals(TWO_BANK_STUDY_KINDS, entries.stream().map(LogEntry::kind).toList());
    assertTrue(entries.get(5).body().contains("\"sent_sha256\":{\"bank-b\":\"0000"));
    assertEquals("{\"state\":\"DESTROYED\"}", entries.get(entries.size() - 1).body());
    byte[] report = Files.readAllBytes(records.resolve(StudyDriver.REPORT_FILE));
    assertTrue(
        entries.get(9).body().contains(HexFormat.of().formatHex(sha256(report))),
        entries.get(9).body());

    // What the entries claim holds: joins and receipts verify against the consortium's CA, not
    // against another CA.
    StudyHistory history = StudyHistory.of(entries, a.tls.ca());
    assertEquals(List.of(), history.problems());
    assertEquals(StudyState.DESTROYED, history.state());
    assertEquals(List.of("bank-a", "bank-b"), history.destroyedBy().stream().sorted().toList());
    ConsortiumPki.init(temp.resolve("other-pki"), List.of("bank-a", "bank-b"), List.of());
    X509Certificate otherCa = TlsMaterial.loadDir(temp.resolve("other-pki/bank-a")).ca();
    String problem = StudyHistory.of(entries, otherCa).problems().get(0);
    assertTrue(problem.startsWith("entry 2 (JOIN): bank-"), problem);
    assertTrue(problem.contains("'s certificate is unusable or not issued by the CA"), problem);

    // Each node heard a checkpoint after every batch, each one consistent with the one before;
    // the last covers the whole log.
    for (FakeNode n : List.of(a, b)) {
      CheckpointVerifier verifier = new CheckpointVerifier(key, summary.getStudyId());
      for (LogCheckpoint c : n.checkpoints) {
        verifier.accept(
            new CheckpointUpdate(
                Checkpoint.decode(c.getCheckpoint().toByteArray()),
                c.getPreviousSize(),
                c.getConsistencyProofList().stream().map(ByteString::toByteArray).toList()));
      }
      assertTrue(n.checkpoints.size() >= 10, "checkpoints: " + n.checkpoints.size());
      assertEquals(entries.size(), verifier.accepted().orElseThrow().treeSize());
    }
  }

  @Test
  void studyId_isUsedOnce() throws Exception {
    StudyPlan plan = plan().toBuilder().setStudyId("st-once").build();
    StudySummary first = finalSummary(runStudy(plan));
    assertEquals("ABORTED", first.getState());
    assertTrue(first.getAbortReason().contains("not connected"), first.getAbortReason());
    StudySummary second = finalSummary(runStudy(plan));
    assertEquals("ABORTED", second.getState());
    assertTrue(second.getAbortReason().contains("was used before"), second.getAbortReason());
    // the first study's log is untouched: it ends with its own abort
    List<LogEntry> entries = LogEntries.read(temp.resolve("records/st-once/log"));
    assertEquals(EntryKind.ABORT, entries.get(entries.size() - 2).kind());
  }

  private static final String EMPTY_LISTING = HexFormat.of().formatHex(sha256(new byte[0]));

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
