package io.cleanroom.node.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.net.Inboxes;
import io.cleanroom.node.net.PeerChannels;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.CheckpointVerifier;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.log.MerkleTree;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.AbortStudy;
import io.cleanroom.protocol.wire.v1.CloseStudy;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.LogCheckpoint;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OpenStudy;
import io.cleanroom.protocol.wire.v1.StartStep;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.cleanroom.protocol.wire.v1.Welcome;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary control traffic from the coordinator through a bank node's control session ({@link
 * CoordinatorLink}'s session, attached without a network): the handler never throws; the node joins
 * a study only for an in-sequence OPEN whose digest is the plan's, that names it, whose other
 * participants it knows, with a known task, a timeout and a valid log key, and then sends a Join
 * whose signature verifies with its certificate, otherwise it refuses; a START_STEP runs only for a
 * study it joined and still runs, any other is refused; a CHECKPOINT that does not extend the
 * accepted log (checked here with an independent {@link CheckpointVerifier}) aborts the study, one
 * that does is accepted silently; a message out of sequence is refused (at most an abort of the
 * study it names); every message the node sends is numbered 1, 2, 3, ...
 *
 * <p>The input is a sequence of frames: one flag byte, then a length-delimited {@link
 * CoordinatorMessage}. Flag bit 0 sets the message's sequence number to the expected one, and bit 1
 * an OPEN's plan digest to the plan's, so the fuzzer gets past both checks without guessing.
 *
 * <p>What runs: the node has bank-b and bank-c as configured peers, a tiny bank folder and a fresh
 * work folder per input; steps run on the handler's thread. Phases that need a peer, the dealer or
 * the coordinator's linkage service (every phase but {@code load}, and {@code aggregate} of a study
 * with this node as its only participant) are handed to the node's step executor but not run, so
 * the target covers the control handling, the custody's ordering checks, the release and the
 * destruction, but not the protocols of the networked phases.
 */
class CoordinatorLinkFuzzTest {
  static final String NODE = "bank-a";
  static final List<String> PEERS = List.of("bank-b", "bank-c");
  static final Set<String> LOCAL_PHASES =
      Set.of("load", StudyState.RELEASE_STEP, StudyState.DESTROY_STEP);
  private static final Path SEEDS =
      Path.of("src/test/resources/io/cleanroom/node/study/CoordinatorLinkFuzzTestInputs/session");

  private static Shared shared;

  /** What every execution shares: the consortium's certificates, a bank folder, a log key. */
  record Shared(Path root, TlsMaterial tls, BankData data, LogSigningKey logKey) {}

  static synchronized Shared shared() throws Exception {
    if (shared == null) {
      Path root = Files.createTempDirectory("coordinator-link-fuzz");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      deleteTree(root);
                    } catch (IOException e) {
                      // Only a temporary folder is left behind.
                    }
                  }));
      ConsortiumPki.init(root.resolve("pki"), List.of(NODE, "bank-b", "bank-c"), List.of());
      Path bank = Files.createDirectories(root.resolve("data").resolve(NODE));
      Files.writeString(
          bank.resolve("customers.csv"),
          "customer_id,national_id,birth_date,gender,nationality\n"
              + "C1,A123456789,1980-01-02,F,TW\nC2,B123456789,1990-03-04,M,TW\n");
      Files.writeString(
          bank.resolve("accounts.csv"),
          "account_id,customer_id,opened_on\nA1,C1,2020-01-01\nA2,C2,2021-01-01\n");
      Files.writeString(
          bank.resolve("transactions.csv"),
          "txn_id,ts,from_bank,from_account,to_bank,to_account,amount\n"
              + "T1,2026-01-01T00:00:00Z,bank-a,A1,bank-a,A2,10.00\n"
              + "T2,2026-01-02T00:00:00Z,bank-a,A1,bank-b,B1,20.00\n");
      Files.writeString(
          bank.resolve("alerts.csv"), "account_id,level,flagged_on\nA1,alert,2026-01-05\n");
      byte[] raw = new byte[LogSigningKey.RAW_SIZE];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (byte) (i + 1);
      }
      shared =
          new Shared(
              root,
              TlsMaterial.loadDir(root.resolve("pki").resolve(NODE)),
              BankData.load(bank, NODE),
              LogSigningKey.fromRaw(raw));
    }
    return shared;
  }

  @FuzzTest(maxDuration = "60s")
  void session(byte[] input) throws Exception {
    run(input);
  }

  /** Runs the frames of {@code input} through a fresh node; returns what the node sent. */
  static Result run(byte[] input) throws Exception {
    Shared s = shared();
    Path dir = Files.createTempDirectory(s.root(), "run");
    try {
      return new Harness(s, dir).run(input);
    } finally {
      deleteTree(dir);
    }
  }

  /** What the node sent back, and its registry at the end of the input. */
  record Result(List<NodeMessage> sent, List<StudyStatusReply> studies) {
    List<NodeMessage> of(String studyId) {
      return sent.stream().filter(m -> m.getHeader().getStudyId().equals(studyId)).toList();
    }
  }

  /** Runs tasks on the calling thread, except those the harness marks to be handed over only. */
  private static final class InlineSteps extends AbstractExecutorService {
    boolean skipNext;
    int skipped;
    private boolean shutdown;

    @Override
    public void execute(Runnable task) {
      if (skipNext) {
        skipNext = false;
        skipped++;
        return;
      }
      task.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /** One execution: a node, its model of the studies it runs, and the checks. */
  private static final class Harness {
    private final Shared shared;
    private final StudyRegistry registry = new StudyRegistry();
    private final InlineSteps steps = new InlineSteps();
    private final List<NodeMessage> sent = new ArrayList<>();
    private final Map<String, StudyPlan> running = new HashMap<>();
    private final Map<String, CheckpointVerifier> verifiers = new HashMap<>();
    private final NodeConfig.Resolved config;
    private final WorkFolder work;
    private long expectedSeq = 1;

    Harness(Shared shared, Path dir) throws IOException {
      this.shared = shared;
      Endpoint closed = new Endpoint("127.0.0.1", 1);
      this.config =
          new NodeConfig.Resolved(
              NODE,
              new Endpoint("127.0.0.1", 0),
              shared.root().resolve("pki").resolve(NODE),
              ConsortiumPki.COORDINATOR,
              closed,
              PEERS,
              List.of(closed, closed),
              shared.root().resolve("data").resolve(NODE),
              dir.resolve("work"),
              1,
              null);
      this.work = WorkFolder.open(config.work());
    }

    Result run(byte[] input) throws Exception {
      CoordinatorLink link =
          new CoordinatorLink(
              config,
              shared.data(),
              work,
              shared.tls(),
              new Inboxes(),
              new PeerChannels(shared.tls(), config::peer),
              registry,
              steps);
      try {
        StreamObserver<CoordinatorMessage> session = link.attach(recorder());
        ByteArrayInputStream in = new ByteArrayInputStream(input);
        for (int flags; (flags = in.read()) >= 0; ) {
          CoordinatorMessage m;
          try {
            m = CoordinatorMessage.parseDelimitedFrom(in);
          } catch (InvalidProtocolBufferException e) {
            break;
          }
          if (m == null) {
            break;
          }
          feed(session, fix(m, flags));
        }
      } finally {
        link.close();
        work.close();
      }
      checkNumbering();
      return new Result(List.copyOf(sent), registry.studies());
    }

    private StreamObserver<NodeMessage> recorder() {
      return new StreamObserver<>() {
        @Override
        public void onNext(NodeMessage m) {
          sent.add(m);
        }

        @Override
        public void onError(Throwable t) {
          throw new AssertionError("the node failed its control stream", t);
        }

        @Override
        public void onCompleted() {}
      };
    }

    private CoordinatorMessage fix(CoordinatorMessage m, int flags) {
      CoordinatorMessage.Builder b = m.toBuilder();
      if ((flags & 1) != 0) {
        b.setHeader(m.getHeader().toBuilder().setSeq(expectedSeq));
      }
      if ((flags & 2) != 0 && m.hasOpen()) {
        b.setOpen(
            m.getOpen().toBuilder()
                .setPlanDigest(ByteString.copyFrom(PlanDigest.of(m.getOpen().getPlan()))));
      }
      return b.build();
    }

    private void feed(StreamObserver<CoordinatorMessage> session, CoordinatorMessage m)
        throws Exception {
      Header h = m.getHeader();
      String id = h.getStudyId();
      boolean inSequence = h.getSeq() == expectedSeq;
      boolean wasRunning = running.containsKey(id);
      StudyPlan plan = running.get(id);
      if (inSequence && m.hasStartStep() && wasRunning) {
        String phase = m.getStartStep().getPhase();
        boolean solo = plan.getParticipantsList().stream().allMatch(NODE::equals);
        boolean local =
            LOCAL_PHASES.contains(phase)
                || (solo && phase.equals("aggregate"))
                || !networkPhase(phase);
        steps.skipNext = !local;
      }
      int before = sent.size();
      session.onNext(m);
      steps.skipNext = false;
      List<NodeMessage> replies = List.copyOf(sent.subList(before, sent.size()));
      for (NodeMessage r : replies) {
        assertFalse(r.hasHello(), "hello in reply to " + m);
      }
      if (!inSequence) {
        // Refused: at most an abort of the study it names, then that study's receipt.
        for (NodeMessage r : replies) {
          assertTrue(r.hasAbort() || r.hasDestroyed(), "acted on out-of-sequence " + m + ": " + r);
          assertEquals(id, r.getHeader().getStudyId());
        }
        assertTrue(!replies.isEmpty() == !id.isEmpty(), "refusal of " + m + ": " + replies);
        forget(id);
        return;
      }
      expectedSeq++;
      switch (m.getBodyCase()) {
        case OPEN -> checkOpen(m.getOpen(), wasRunning, replies);
        case CHECKPOINT -> checkCheckpoint(id, m.getCheckpoint(), replies);
        case START_STEP -> checkStartStep(id, wasRunning, replies);
        case ABORT, CLOSE -> {
          for (NodeMessage r : replies) {
            assertTrue(r.hasDestroyed(), "reply to " + m.getBodyCase() + ": " + r);
          }
          assertTrue(!m.hasClose() || replies.isEmpty(), "reply to CLOSE: " + replies);
          forget(id);
          if (wasRunning) {
            StudyStatusReply.State state = registry.study(id).orElseThrow().getState();
            assertTrue(
                state == StudyStatusReply.State.ABORTED
                    || state == StudyStatusReply.State.DESTROYED,
                id + " still " + state);
          }
        }
        default -> assertTrue(replies.isEmpty(), "reply to " + m.getBodyCase() + ": " + replies);
      }
    }

    private static boolean networkPhase(String phase) {
      return Set.of("aggregate", "multiply", "link", "propagate", "train", Tasks.EVALUATE, "fit")
          .contains(phase);
    }

    private void forget(String id) {
      running.remove(id);
      verifiers.remove(id);
    }

    private void checkOpen(OpenStudy open, boolean wasRunning, List<NodeMessage> replies)
        throws Exception {
      StudyPlan plan = open.getPlan();
      String id = plan.getStudyId();
      assertEquals(1, replies.size(), "replies to OPEN " + id + ": " + replies);
      NodeMessage r = replies.get(0);
      assertEquals(id, r.getHeader().getStudyId());
      assertEquals("control/join", r.getHeader().getStep());
      boolean digestOk =
          MessageDigest.isEqual(PlanDigest.of(plan), open.getPlanDigest().toByteArray());
      if (r.hasAbort()) {
        // Refused. A study of that id already running goes on; otherwise none is registered.
        if (!wasRunning) {
          registry
              .study(id)
              .ifPresent(
                  st ->
                      assertTrue(
                          st.getState() == StudyStatusReply.State.ABORTED
                              || st.getState() == StudyStatusReply.State.DESTROYED,
                          "refused " + id + " but it is " + st.getState()));
        }
        return;
      }
      assertTrue(r.hasJoin(), "reply to OPEN: " + r);
      assertFalse(wasRunning, "joined " + id + " twice");
      assertTrue(digestOk, "joined " + id + " with a wrong digest");
      assertTrue(
          plan.getParticipantsList().contains(NODE), "joined " + id + " without being in it");
      for (String p : plan.getParticipantsList()) {
        assertTrue(p.equals(NODE) || PEERS.contains(p), "joined " + id + " with unknown " + p);
      }
      assertTrue(plan.getTimeoutSeconds() > 0, "joined " + id + " without a timeout");
      Tasks.phases(plan.getTask());
      assertEquals(open.getPlanDigest(), r.getJoin().getPlanDigest());
      TlsMaterial.verify(
          shared.tls().certificate(),
          open.getPlanDigest().toByteArray(),
          r.getJoin().getSignature().toByteArray());
      assertEquals(StudyStatusReply.State.OPEN, registry.study(id).orElseThrow().getState(), id);
      running.put(id, plan);
      verifiers.put(
          id, new CheckpointVerifier(LogPublicKey.fromRaw(open.getLogKey().toByteArray()), id));
    }

    private void checkCheckpoint(String id, LogCheckpoint m, List<NodeMessage> replies) {
      CheckpointVerifier verifier = verifiers.get(id);
      if (verifier == null) {
        assertTrue(replies.isEmpty(), "reply to a checkpoint of " + id + ": " + replies);
        return;
      }
      boolean valid;
      try {
        verifier.accept(
            new CheckpointUpdate(
                Checkpoint.decode(m.getCheckpoint().toByteArray()),
                m.getPreviousSize(),
                m.getConsistencyProofList().stream().map(ByteString::toByteArray).toList()));
        valid = true;
      } catch (IllegalArgumentException | LogException e) {
        valid = false;
      }
      if (valid) {
        assertTrue(replies.isEmpty(), "reply to a valid checkpoint of " + id + ": " + replies);
        return;
      }
      assertTrue(!replies.isEmpty() && replies.get(0).hasAbort(), "accepted a bad checkpoint");
      assertEquals(StudyStatusReply.State.ABORTED, registry.study(id).orElseThrow().getState(), id);
      forget(id);
    }

    private void checkStartStep(String id, boolean wasRunning, List<NodeMessage> replies) {
      if (!wasRunning) {
        assertEquals(1, replies.size(), "replies to START_STEP of " + id + ": " + replies);
        assertTrue(replies.get(0).hasAbort(), "ran a step of " + id + ", which it did not join");
        return;
      }
      for (NodeMessage r : replies) {
        if (r.hasAbort()) {
          forget(id);
        }
      }
    }

    private void checkNumbering() {
      for (int i = 0; i < sent.size(); i++) {
        assertEquals(i + 1, sent.get(i).getHeader().getSeq(), "sequence of " + sent.get(i));
      }
    }
  }

  // Seed corpus and the happy path.

  static final String SOLO = "st-solo";
  static final String PAIR = "st-pair";

  static StudyPlan plan(String id, String task, String... participants) {
    return StudyPlan.newBuilder()
        .setStudyId(id)
        .setTask(task)
        .addAllParticipants(List.of(participants))
        .setTimeoutSeconds(30)
        .build();
  }

  /** Builds frames with consecutive sequence numbers. */
  static final class Frames {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long seq;

    Frames add(String studyId, String step, CoordinatorMessage.Builder m) {
      out.write(0);
      try {
        m.setHeader(Header.newBuilder().setStudyId(studyId).setStep(step).setSeq(++seq))
            .build()
            .writeDelimitedTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    Frames welcome() {
      return add(
          "",
          "control/welcome",
          CoordinatorMessage.newBuilder().setWelcome(Welcome.getDefaultInstance()));
    }

    Frames open(StudyPlan plan, byte[] digest) throws Exception {
      return add(
          plan.getStudyId(),
          "control/open",
          CoordinatorMessage.newBuilder()
              .setOpen(
                  OpenStudy.newBuilder()
                      .setPlan(plan)
                      .setPlanDigest(ByteString.copyFrom(digest))
                      .setLogKey(ByteString.copyFrom(shared().logKey().publicKey().raw()))));
    }

    Frames open(StudyPlan plan) throws Exception {
      return open(plan, PlanDigest.of(plan));
    }

    Frames step(String studyId, String phase) {
      return add(
          studyId,
          phase,
          CoordinatorMessage.newBuilder().setStartStep(StartStep.newBuilder().setPhase(phase)));
    }

    Frames checkpoint(String studyId, MerkleTree tree, long from) throws Exception {
      LogCheckpoint.Builder c =
          LogCheckpoint.newBuilder()
              .setCheckpoint(
                  ByteString.copyFrom(
                      Checkpoint.sign(studyId, tree.size(), tree.root(), 1_000, shared().logKey())
                          .encode()))
              .setPreviousSize(from);
      if (from > 0) {
        tree.consistencyProof(from, tree.size())
            .forEach(p -> c.addConsistencyProof(ByteString.copyFrom(p)));
      }
      return add(studyId, "control/checkpoint", CoordinatorMessage.newBuilder().setCheckpoint(c));
    }

    Frames abort(String studyId) {
      return add(
          studyId,
          "control/abort",
          CoordinatorMessage.newBuilder().setAbort(AbortStudy.newBuilder().setReason("test")));
    }

    Frames close(String studyId) {
      return add(
          studyId,
          "control/close",
          CoordinatorMessage.newBuilder()
              .setClose(CloseStudy.newBuilder().setState(StudyState.DESTROYED.name())));
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private static MerkleTree tree(int entries) {
    MerkleTree t = new MerkleTree();
    for (int i = 0; i < entries; i++) {
      t.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
    }
    return t;
  }

  /** Welcome, open, a checkpoint, every phase, release, destroy, close: the whole study. */
  static byte[] soloStudy() throws Exception {
    MerkleTree t = tree(3);
    Frames f = new Frames().welcome().open(plan(SOLO, Tasks.AGGREGATE_COUNTS, NODE));
    f.checkpoint(SOLO, t, 0);
    f.step(SOLO, "load").step(SOLO, "aggregate");
    for (int i = 0; i < 2; i++) {
      t.append(("more " + i).getBytes(StandardCharsets.UTF_8));
    }
    return f.checkpoint(SOLO, t, 3)
        .step(SOLO, StudyState.RELEASE_STEP)
        .step(SOLO, StudyState.DESTROY_STEP)
        .close(SOLO)
        .bytes();
  }

  @Test
  void soloStudy_joinsRunsReleasesAndDestroys() throws Exception {
    Result r = check("solo-study", soloStudy());
    List<NodeMessage> sent = r.of(SOLO);
    assertTrue(sent.get(0).hasJoin(), sent.toString());
    StudyPlan plan = plan(SOLO, Tasks.AGGREGATE_COUNTS, NODE);
    assertArrayEquals(PlanDigest.of(plan), sent.get(0).getJoin().getPlanDigest().toByteArray());
    TlsMaterial.verify(
        shared().tls().certificate(),
        PlanDigest.of(plan),
        sent.get(0).getJoin().getSignature().toByteArray());
    assertEquals(
        List.of("load", "aggregate", StudyState.RELEASE_STEP),
        sent.stream()
            .filter(NodeMessage::hasStepReport)
            .map(m -> m.getStepReport().getPhase())
            .toList(),
        sent.toString());
    assertTrue(sent.get(sent.size() - 1).hasDestroyed(), sent.toString());
    assertFalse(sent.stream().anyMatch(NodeMessage::hasAbort), sent.toString());
    assertEquals(StudyStatusReply.State.DESTROYED, r.studies().get(0).getState());
  }

  @Test
  void wrongDigest_isRefused() throws Exception {
    byte[] digest = PlanDigest.of(plan(PAIR, Tasks.LINKED_RISK, NODE, "bank-b"));
    digest[0] ^= 1;
    Result r =
        check(
            "wrong-digest",
            new Frames()
                .welcome()
                .open(plan(PAIR, Tasks.LINKED_RISK, NODE, "bank-b"), digest)
                .bytes());
    assertEquals(1, r.sent().size(), r.sent().toString());
    assertTrue(r.sent().get(0).hasAbort());
    assertEquals(
        "cannot join: plan digest does not match the plan", r.sent().get(0).getAbort().getReason());
    assertTrue(r.studies().isEmpty());
  }

  @Test
  void pairStudy_badCheckpointAborts_thenStepIsRefused() throws Exception {
    MerkleTree t = tree(4);
    Frames f = new Frames().welcome().open(plan(PAIR, Tasks.LINKED_RISK, NODE, "bank-b"));
    f.checkpoint(PAIR, t, 0);
    // A checkpoint of a shorter log does not extend the accepted one.
    Result r =
        check("pair-bad-checkpoint", f.checkpoint(PAIR, tree(2), 0).step(PAIR, "link").bytes());
    List<NodeMessage> sent = r.of(PAIR);
    assertTrue(sent.get(0).hasJoin(), sent.toString());
    assertTrue(sent.get(1).hasAbort(), sent.toString());
    assertTrue(
        sent.get(1).getAbort().getReason().contains("refused a checkpoint"), sent.toString());
    assertTrue(sent.get(2).hasDestroyed(), sent.toString());
    assertTrue(sent.get(3).hasAbort(), "the step after the abort is refused: " + sent);
    assertEquals(StudyStatusReply.State.ABORTED, r.studies().get(0).getState());
  }

  @Test
  void outOfSequence_andUnknownStudy_areRefused() throws Exception {
    Frames f = new Frames().welcome().step("st-unknown", "load");
    f.seq += 1; // skips a number
    f.open(plan(PAIR, Tasks.LINKED_RISK, NODE, "bank-b"));
    Result r = check("out-of-sequence", f.bytes());
    assertEquals(2, r.sent().size(), r.sent().toString());
    assertTrue(r.sent().get(0).hasAbort());
    assertTrue(r.sent().get(1).hasAbort());
    assertTrue(r.sent().get(1).getAbort().getReason().contains("out of sequence"));
    assertTrue(r.studies().isEmpty());
  }

  @Test
  void coordinatorAbort_discardsTheStudy() throws Exception {
    Result r =
        check(
            "abort",
            new Frames()
                .welcome()
                .open(plan(PAIR, Tasks.LINKED_RISK, NODE, "bank-b"))
                .step(PAIR, "link")
                .abort(PAIR)
                .bytes());
    List<NodeMessage> sent = r.of(PAIR);
    assertTrue(sent.get(0).hasJoin(), sent.toString());
    assertTrue(sent.get(1).hasDestroyed(), sent.toString());
    assertEquals(StudyStatusReply.State.ABORTED, r.studies().get(0).getState());
  }

  /**
   * Runs {@code input} and checks that the seed corpus holds it as {@code name}; with {@code
   * -Dcleanroom.writeSeeds=true} (re)writes the seed instead.
   */
  private static Result check(String name, byte[] input) throws Exception {
    Result r = run(input);
    Path seed = SEEDS.resolve(name);
    if (Boolean.getBoolean("cleanroom.writeSeeds")) {
      Files.createDirectories(SEEDS);
      Files.write(seed, input);
    }
    assertArrayEquals(Files.readAllBytes(seed), input, "seed " + seed + " is out of date");
    return r;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
