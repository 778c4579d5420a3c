package io.cleanroom.coordinator.study;

import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.dealer.DealerService;
import io.cleanroom.coordinator.linkage.LinkageService;
import io.cleanroom.coordinator.session.NodeEvent;
import io.cleanroom.coordinator.session.NodeSession;
import io.cleanroom.coordinator.session.NodeSessions;
import io.cleanroom.protocol.linkage.LinkageResult;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.AbortStudy;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.CloseStudy;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OpenStudy;
import io.cleanroom.protocol.wire.v1.PhaseSummary;
import io.cleanroom.protocol.wire.v1.StartStep;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one study from its plan to its final state. The driver opens the study at every participant,
 * checks each participant's signature over the plan digest, starts the task's phases one after
 * another and waits for every participant to finish each, and closes the study. Any participant's
 * abort, a lost session, a bad signature, disagreeing totals or a timeout aborts the study at every
 * participant, with the reason.
 */
public final class StudyDriver {

  private static final System.Logger LOG = System.getLogger(StudyDriver.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int DEFAULT_TIMEOUT_SECONDS = 3600;
  private static final int DEFAULT_FRACTION_BITS = 20;

  private final NodeSessions sessions;
  private final DealerService dealer;
  private final LinkageService linkage;
  private final Duration joinTimeout;
  private final Path records;

  /**
   * @param records folder for what the coordinator keeps of each study
   */
  public StudyDriver(
      NodeSessions sessions,
      DealerService dealer,
      LinkageService linkage,
      Duration joinTimeout,
      Path records) {
    this.sessions = sessions;
    this.dealer = dealer;
    this.linkage = linkage;
    this.records = records;
    this.joinTimeout = joinTimeout;
  }

  /** Fills in the study id and defaults and checks the plan. */
  static StudyPlan complete(StudyPlan plan) {
    StudyPlan.Builder b = plan.toBuilder();
    if (b.getStudyId().isEmpty()) {
      byte[] id = new byte[8];
      RANDOM.nextBytes(id);
      b.setStudyId("st-" + HexFormat.of().formatHex(id));
    }
    if (b.getTimeoutSeconds() == 0) {
      b.setTimeoutSeconds(DEFAULT_TIMEOUT_SECONDS);
    }
    if (b.getFractionBits() == 0) {
      b.setFractionBits(DEFAULT_FRACTION_BITS);
    }
    if (b.getTask().isEmpty()) {
      b.setTask(Tasks.AGGREGATE_COUNTS);
    }
    if (!b.getStudyId().matches("[a-z0-9][a-z0-9-]{0,63}")) {
      throw new IllegalArgumentException("study id \"" + b.getStudyId() + "\" is not valid");
    }
    if (b.getParticipantsCount() < 2) {
      throw new IllegalArgumentException("a study needs at least 2 participants");
    }
    Set<String> seen = new HashSet<>();
    for (String p : b.getParticipantsList()) {
      new PartyIdentity(p, io.cleanroom.protocol.pki.Role.NODE);
      if (!seen.add(p)) {
        throw new IllegalArgumentException("participant " + p + " is listed twice");
      }
    }
    Tasks.phases(b.getTask());
    return b.build();
  }

  /** Runs the study; {@code progress} hears every change of state and phase. */
  public StudySummary run(StudyPlan requested, Consumer<StudyProgress> progress) {
    StudyPlan plan = complete(requested);
    String id = plan.getStudyId();
    List<String> parties = plan.getParticipantsList();
    BlockingQueue<NodeEvent> mailbox = new LinkedBlockingQueue<>();
    sessions.listen(id, new HashSet<>(parties), mailbox::add);
    dealer.open(id, parties);
    linkage.open(id, parties);
    StudySummary.Builder summary =
        StudySummary.newBuilder().setStudyId(id).addAllParticipants(parties);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.getTimeoutSeconds());
    try {
      progress.accept(progress(id, "OPEN", "open", 0, "waiting for participants"));
      awaitConnected(parties);
      PhaseSummary.Builder open = PhaseSummary.newBuilder().setName("open");
      long t0 = System.nanoTime();
      byte[] digest = PlanDigest.of(plan);
      Map<String, Long> bytes = zeroBytes(parties);
      broadcast(
          plan,
          "control/open",
          CoordinatorMessage.newBuilder()
              .setOpen(
                  OpenStudy.newBuilder().setPlan(plan).setPlanDigest(ByteString.copyFrom(digest))),
          bytes);
      awaitAll(
          mailbox,
          parties,
          deadline,
          bytes,
          (node, m) -> {
            if (!m.hasJoin()) {
              throw new StudyFailure("expected a join from " + node + ", got " + m.getBodyCase());
            }
            verifyJoin(node, digest, m);
            return true;
          });
      summary.addPhases(open.setWallSeconds(seconds(t0)).putAllBytesSent(bytes));
      LOG.log(System.Logger.Level.INFO, "study " + id + " opened; all participants joined");
      Map<String, List<Aggregate>> opened = new LinkedHashMap<>();
      for (String phase : Tasks.phases(plan.getTask())) {
        progress.accept(progress(id, "RUNNING", phase, 0, "phase " + phase + " started"));
        summary.addPhases(runPhase(plan, phase, mailbox, deadline, opened));
        progress.accept(progress(id, "RUNNING", phase, 1, "phase " + phase + " done"));
      }
      summary.addAllTotals(agreedTotals(opened));
      broadcast(
          plan,
          "control/close",
          CoordinatorMessage.newBuilder().setClose(CloseStudy.newBuilder().setState("CLOSED")),
          new LinkedHashMap<>());
      summary.setState("CLOSED");
      LOG.log(System.Logger.Level.INFO, "study " + id + " closed");
    } catch (StudyFailure | RuntimeException e) {
      String reason = e.getMessage();
      LOG.log(System.Logger.Level.WARNING, "study " + id + " aborted: " + reason);
      for (String p : parties) {
        NodeSession s = sessions.session(p);
        if (s != null) {
          s.send(
              id,
              "control/abort",
              CoordinatorMessage.newBuilder().setAbort(AbortStudy.newBuilder().setReason(reason)));
        }
      }
      summary.setState("ABORTED").setAbortReason(reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      summary.setState("ABORTED").setAbortReason("coordinator interrupted");
    } finally {
      sessions.unlisten(id);
      dealer.close(id);
      linkage.close(id);
    }
    StudySummary done = summary.build();
    progress.accept(
        progress(id, done.getState(), "", 1, done.getAbortReason()).toBuilder()
            .setSummary(done)
            .build());
    return done;
  }

  private PhaseSummary runPhase(
      StudyPlan plan,
      String phase,
      BlockingQueue<NodeEvent> mailbox,
      long deadline,
      Map<String, List<Aggregate>> opened)
      throws StudyFailure, InterruptedException {
    long t0 = System.nanoTime();
    long dealtBefore = dealer.bytesSent(plan.getStudyId()) + linkage.bytesSent(plan.getStudyId());
    String step = "phase/" + phase;
    List<String> parties = plan.getParticipantsList();
    Map<String, Long> bytes = zeroBytes(parties);
    Map<String, Long> heap = new LinkedHashMap<>();
    broadcast(
        plan,
        step,
        CoordinatorMessage.newBuilder().setStartStep(StartStep.newBuilder().setPhase(phase)),
        bytes);
    awaitAll(
        mailbox,
        parties,
        deadline,
        bytes,
        (node, m) -> {
          if (!m.hasStepReport() || !m.getHeader().getStep().equals(step)) {
            throw new StudyFailure(
                "expected the report of "
                    + step
                    + " from "
                    + node
                    + ", got "
                    + m.getBodyCase()
                    + " for "
                    + m.getHeader().getStep());
          }
          StepReport r = m.getStepReport();
          bytes.merge(node, r.getBytesSent(), Long::sum);
          heap.put(node, r.getPeakHeapBytes());
          if (r.getOpenedCount() > 0) {
            opened.put(node, r.getOpenedList());
          }
          return r.getDone();
        });
    bytes.merge(
        "coordinator",
        dealer.bytesSent(plan.getStudyId()) + linkage.bytesSent(plan.getStudyId()) - dealtBefore,
        Long::sum);
    PhaseSummary.Builder summary =
        PhaseSummary.newBuilder().setName(phase).putAllBytesSent(bytes).putAllPeakHeapBytes(heap);
    if (phase.equals("link")) {
      summary.putAllCounts(linkageRecord(plan.getStudyId()));
    }
    return summary.setWallSeconds(seconds(t0)).build();
  }

  /**
   * Records what linkage built: the sizes for the summary, and the identity clusters over handles
   * in {@code records/<study>/link/clusters.csv}.
   */
  private Map<String, Long> linkageRecord(String studyId) throws StudyFailure {
    LinkageResult r;
    try {
      r = linkage.result(studyId).get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StudyFailure("interrupted while waiting for linkage");
    } catch (ExecutionException | TimeoutException e) {
      throw new StudyFailure("linkage did not finish: " + e.getMessage());
    }
    Path dir = records.resolve(studyId).resolve("link");
    try {
      Files.createDirectories(dir);
      try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("clusters.csv"))) {
        w.write("cluster,handle\n");
        for (int c = 0; c < r.clusters().size(); c++) {
          for (int h : r.clusters().get(c)) {
            w.write(c + "," + h + "\n");
          }
        }
      }
    } catch (IOException e) {
      throw new StudyFailure("cannot write " + dir + ": " + e.getMessage());
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("handles", (long) r.graph().handles());
    counts.put("flow_edges", (long) r.graph().flowSrc().length);
    counts.put("identity_edges", (long) r.graph().identitySrc().length);
    counts.put("identity_clusters", (long) r.clusters().size());
    counts.put("clustered_accounts", r.clusters().stream().mapToLong(c -> c.length).sum());
    counts.put("unmatched_counterparties", r.unmatchedCounterparts());
    return counts;
  }

  /** Sends {@code m} to every participant, adding the bytes to the coordinator's count. */
  private void broadcast(
      StudyPlan plan, String step, CoordinatorMessage.Builder m, Map<String, Long> bytes)
      throws StudyFailure {
    for (String p : plan.getParticipantsList()) {
      NodeSession s = sessions.session(p);
      if (s == null) {
        throw new StudyFailure(p + " is no longer connected");
      }
      bytes.merge("coordinator", s.send(plan.getStudyId(), step, m.clone()), Long::sum);
    }
  }

  /** The opened totals, which every participant must have reported identically. */
  private static List<Aggregate> agreedTotals(Map<String, List<Aggregate>> opened)
      throws StudyFailure {
    List<Aggregate> first = null;
    String firstNode = null;
    for (Map.Entry<String, List<Aggregate>> e : opened.entrySet()) {
      if (first == null) {
        first = e.getValue();
        firstNode = e.getKey();
      } else if (!first.equals(e.getValue())) {
        throw new StudyFailure(
            "participants opened different totals: "
                + firstNode
                + " and "
                + e.getKey()
                + " disagree");
      }
    }
    return first == null ? List.of() : first;
  }

  private void verifyJoin(String node, byte[] digest, NodeMessage m) throws StudyFailure {
    if (!MessageDigest.isEqual(digest, m.getJoin().getPlanDigest().toByteArray())) {
      throw new StudyFailure(node + " joined with the digest of another plan");
    }
    NodeSession s = sessions.session(node);
    if (s == null) {
      throw new StudyFailure(node + " is no longer connected");
    }
    try {
      TlsMaterial.verify(s.certificate(), digest, m.getJoin().getSignature().toByteArray());
    } catch (GeneralSecurityException e) {
      throw new StudyFailure(
          node + "'s signature over the plan does not verify: " + e.getMessage());
    }
  }

  private interface Handler {
    /** Handles one message; returns true when the node is done with the current wait. */
    boolean handle(String node, NodeMessage m) throws StudyFailure;
  }

  private static void awaitAll(
      BlockingQueue<NodeEvent> mailbox,
      List<String> parties,
      long deadline,
      Map<String, Long> bytes,
      Handler handler)
      throws StudyFailure, InterruptedException {
    Set<String> waiting = new HashSet<>(parties);
    while (!waiting.isEmpty()) {
      long left = deadline - System.nanoTime();
      NodeEvent e = left <= 0 ? null : mailbox.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new StudyFailure("study timed out waiting for " + String.join(", ", waiting));
      }
      if (e.message() == null) {
        throw new StudyFailure(e.lostReason());
      }
      bytes.merge(e.node(), e.wireBytes(), Long::sum);
      if (e.message().hasAbort()) {
        throw new StudyFailure(e.message().getAbort().getReason());
      }
      if (handler.handle(e.node(), e.message())) {
        waiting.remove(e.node());
      }
    }
  }

  private void awaitConnected(List<String> parties) throws StudyFailure, InterruptedException {
    long deadline = System.nanoTime() + joinTimeout.toNanos();
    while (true) {
      List<String> missing = parties.stream().filter(p -> sessions.session(p) == null).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new StudyFailure(
            "not connected to the coordinator after "
                + joinTimeout.toSeconds()
                + " s: "
                + String.join(", ", missing));
      }
      Thread.sleep(50);
    }
  }

  private static Map<String, Long> zeroBytes(List<String> parties) {
    Map<String, Long> m = new LinkedHashMap<>();
    parties.forEach(p -> m.put(p, 0L));
    m.put("coordinator", 0L);
    return m;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static StudyProgress progress(
      String id, String state, String phase, double fraction, String message) {
    return StudyProgress.newBuilder()
        .setStudyId(id)
        .setState(state)
        .setPhase(phase)
        .setProgress(fraction)
        .setMessage(message)
        .build();
  }
}
