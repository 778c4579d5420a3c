package io.cleanroom.coordinator.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.dealer.DealerService;
import io.cleanroom.coordinator.linkage.LinkageService;
import io.cleanroom.coordinator.session.NodeEvent;
import io.cleanroom.coordinator.session.NodeSession;
import io.cleanroom.coordinator.session.NodeSessions;
import io.cleanroom.eval.policy.Assessment;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.report.GovernanceReport;
import io.cleanroom.eval.study.StudyEvaluation;
import io.cleanroom.protocol.linkage.LinkageResult;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.logging.LogContext;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.PhaseProgress;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.ProgressThrottle;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.AbortStudy;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.CloseStudy;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Destroyed;
import io.cleanroom.protocol.wire.v1.LogCheckpoint;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OpenStudy;
import io.cleanroom.protocol.wire.v1.OpenedVector;
import io.cleanroom.protocol.wire.v1.PhaseSummary;
import io.cleanroom.protocol.wire.v1.ReleasedOutput;
import io.cleanroom.protocol.wire.v1.ReportSummary;
import io.cleanroom.protocol.wire.v1.StartStep;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs one study from its plan to DESTROYED or ABORTED ({@link StudyState}), and keeps its protocol
 * log ({@link StudyLog}) in {@code <records>/<study>/log}.
 *
 * <p>The driver logs the plan and opens the study at every participant, checks and logs each
 * participant's signature over the plan digest, starts the task's phases one after another and logs
 * each one's start and end with the digests of what every node sent, and the totals it opened. It
 * then reports (REPORTED; a fraud study's governance report, whose FAIL withholds the model at the
 * release step), has every node release its outputs, writes its own records and logs who received
 * what, and has every node destroy its session store and logs the signed receipts (DESTROYED).
 * After every batch of entries it signs a checkpoint and sends it, with the consistency proof from
 * the previous one, to every participant.
 *
 * <p>Any participant's abort, a lost session, a bad signature or receipt, disagreeing totals, a
 * failure of the log or the study's timeout aborts the study at every participant: the abort and
 * its reason are logged, and the receipts of the nodes that destroy their session store in response
 * are logged too. Nothing is released before REPORTED, so an aborted study releases nothing.
 *
 * <p>Progress: besides a message at every change of state and at each phase's start (0) and end
 * (1), the driver passes on how far a running phase is: each node's not-done step reports carry its
 * fraction of the phase, and the phase's fraction is the <em>minimum</em> over the participants
 * (one that has not reported counts as 0, one that is done as 1), since the phase ends only when
 * the slowest node is done. It is passed on at most twice a second and only after it moved by 1%,
 * and stays below 1 until the phase ends. Not-done reports are progress only: they end nothing, are
 * not logged, and their other fields are ignored; a fraction that is not within 0..1 or lower than
 * that node's last one is ignored with a warning (a monitoring value, not worth aborting a study
 * over).
 *
 * <p>Every log line the driver writes while running a study carries the study id and the step
 * ({@link LogContext}).
 */
public final class StudyDriver {

  /** The folder of a study's protocol log, under its records. */
  public static final String LOG_DIR = "log";

  /** The coordinator's summary of a study (phases, bytes, opened totals), under its records. */
  public static final String REPORT_FILE = "report/study-summary.json";

  /** The folder of a study's governance report, under its records. */
  public static final String GOVERNANCE_DIR = "report";

  /** The governance report whose digest the log records, under its records. */
  public static final String GOVERNANCE_REPORT_FILE =
      GOVERNANCE_DIR + "/" + GovernanceReport.JSON_FILE;

  /**
   * The output folders every node deletes instead of releasing when the governance report blocks
   * the model's release: the model, the scores and the explanations of its alerts. The linked risk
   * ({@code risk/}) does not depend on the model and is released.
   */
  public static final List<String> WITHHELD_ON_FAIL = List.of("model", "scores", "explanations");

  /** The coordinator's identity clusters over handles, under its records. */
  public static final String CLUSTERS_FILE = "link/clusters.csv";

  private static final System.Logger LOG = System.getLogger(StudyDriver.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_TIMEOUT_SECONDS = 3600;
  private static final int DEFAULT_FRACTION_BITS = 20;
  // How long an aborted study waits for the destruction receipts of the nodes still connected.
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(15);
  // The party the driver's log lines name.
  private static final String PARTY = "coordinator";
  // The highest fraction passed on before a phase ends; 1 is the phase-end message's.
  private static final double MAX_RUNNING_FRACTION = 0.99;
  // How the nodes' session stores are encrypted (node/store/SessionStore).
  private static final String SESSION_STORE_ENCRYPTION =
      "AES-256-GCM, per-study key in memory only";

  private final NodeSessions sessions;
  private final DealerService dealer;
  private final LinkageService linkage;
  private final Duration joinTimeout;
  private final Path records;
  private final LogSigningKey logKey;
  private final X509Certificate ca;
  private final X509Certificate certificate;

  /**
   * @param records folder for what the coordinator keeps of each study
   * @param logKey the key that signs the checkpoints of every study's protocol log
   * @param ca the consortium CA's certificate, for the governance report's inventory
   * @param certificate the coordinator's own certificate, for the same
   */
  public StudyDriver(
      NodeSessions sessions,
      DealerService dealer,
      LinkageService linkage,
      Duration joinTimeout,
      Path records,
      LogSigningKey logKey,
      X509Certificate ca,
      X509Certificate certificate) {
    this.ca = ca;
    this.certificate = certificate;
    this.sessions = sessions;
    this.dealer = dealer;
    this.linkage = linkage;
    this.records = records;
    this.joinTimeout = joinTimeout;
    this.logKey = logKey;
  }

  /**
   * Closes the studies that were running when this coordinator last stopped (a crash, a kill, a
   * power cut): each protocol log under the records that does not end in a final state gets an
   * ABORT entry saying so and the state ABORTED, under a new signed checkpoint. Their nodes lost
   * the control session when the coordinator stopped, aborted the study on their side and destroyed
   * their session stores; nothing was released to anyone unless the log already shows it. Called
   * once at start-up, before any study runs.
   *
   * @return the ids of the studies closed
   */
  public List<String> closeInterrupted() {
    List<String> closed = new ArrayList<>();
    if (!Files.isDirectory(records)) {
      return closed;
    }
    List<Path> dirs;
    try (var listing = Files.list(records)) {
      dirs = listing.filter(d -> Files.isDirectory(d.resolve(LOG_DIR))).sorted().toList();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot list the study records in " + records, e);
      return closed;
    }
    for (Path dir : dirs) {
      Path logDir = dir.resolve(LOG_DIR);
      try {
        StudyHistory history =
            StudyHistory.of(io.cleanroom.coordinator.log.LogEntries.read(logDir), null);
        if (history.state() == null || history.state().isFinal()) {
          continue;
        }
        StudyState was = history.state();
        try (StudyLog log = StudyLog.reopen(logDir, history, logKey)) {
          log.aborted(
              "the coordinator stopped while the study was "
                  + was
                  + "; it closed the study when it started again");
          log.checkpoint();
        }
        closed.add(history.studyId());
        LOG.log(
            System.Logger.Level.WARNING,
            "study "
                + history.studyId()
                + " was "
                + was
                + " when the coordinator stopped: aborted");
      } catch (IOException | LogException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "cannot close the interrupted study in " + logDir + ": " + e.getMessage(),
            e);
      }
    }
    return closed;
  }

  /**
   * Fills in the study id and defaults and checks the plan. A fraud study's plan gets the reference
   * date of its age bands ({@link StudyEvaluation#REFERENCE_DATE_PARAMETER}, today in UTC) unless
   * it names one, and its governance policy is checked here, before anyone joins.
   */
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
    if (Tasks.phases(b.getTask()).contains(Tasks.EVALUATE)) {
      if (!b.containsParameters(StudyEvaluation.REFERENCE_DATE_PARAMETER)) {
        b.putParameters(
            StudyEvaluation.REFERENCE_DATE_PARAMETER, LocalDate.now(ZoneOffset.UTC).toString());
      }
      StudyEvaluation.of(b.getParametersMap());
    }
    return b.build();
  }

  /**
   * Runs the study; {@code progress} hears every change of state and phase. A study id is used
   * once: a plan naming the id of a study that has a protocol log already is refused (ABORTED,
   * nothing logged); a plan without an id runs under a fresh one.
   */
  public StudySummary run(StudyPlan requested, Consumer<StudyProgress> progress) {
    StudyPlan plan = complete(requested);
    Path dir = records.resolve(plan.getStudyId());
    byte[] digest = PlanDigest.of(plan);
    StudyLog log;
    try {
      log =
          StudyLog.create(
              dir.resolve(LOG_DIR), plan, PlanDigest.canonicalBytes(plan), digest, logKey);
    } catch (FileAlreadyExistsException e) {
      return refused(
          plan,
          progress,
          "study id "
              + plan.getStudyId()
              + " was used before (its protocol log is in "
              + dir.resolve(LOG_DIR)
              + "); run the plan without a study id to run it again");
    } catch (IOException | LogException e) {
      return refused(plan, progress, "cannot create the protocol log: " + e.getMessage());
    }
    try (LogContext.Scope c = LogContext.open(PARTY, plan.getStudyId(), "")) {
      return new Study(plan, digest, dir, log, progress).run();
    }
  }

  private static StudySummary refused(
      StudyPlan plan, Consumer<StudyProgress> progress, String reason) {
    try (LogContext.Scope c = LogContext.open(PARTY, plan.getStudyId(), "control/open")) {
      LOG.log(System.Logger.Level.WARNING, "study " + plan.getStudyId() + " refused: " + reason);
    }
    StudySummary done =
        StudySummary.newBuilder()
            .setStudyId(plan.getStudyId())
            .addAllParticipants(plan.getParticipantsList())
            .setState(StudyState.ABORTED.name())
            .setAbortReason(reason)
            .build();
    progress.accept(
        StudyProgress.newBuilder()
            .setStudyId(plan.getStudyId())
            .setState(done.getState())
            .setProgress(1)
            .setMessage(reason)
            .setSummary(done)
            .build());
    return done;
  }

  /** One run of a study. */
  private final class Study {
    private final StudyPlan plan;
    private final String id;
    private final List<String> parties;
    private final Path dir;
    private final StudyLog log;
    private final Consumer<StudyProgress> progress;
    private final byte[] digest;
    private final long deadline;
    private final BlockingQueue<NodeEvent> mailbox = new LinkedBlockingQueue<>();
    private final StudySummary.Builder summary;
    // Participants that were sent the plan: they hold a session store and hear checkpoints.
    private final Set<String> opened = new LinkedHashSet<>();
    private final Map<String, X509Certificate> certificates = new HashMap<>();
    // Participants whose destruction receipt is logged.
    private final Set<String> destroyed = new HashSet<>();
    private final List<Aggregate> totals = new ArrayList<>();
    private LinkageResult linked;
    private byte[] report;
    // The evaluate phase's reports, by node; null until it ran.
    private Map<String, StepReport> evaluation;
    // What crossed the wire, per party and phase, for the governance report.
    private final List<Evidence.Traffic> traffic = new ArrayList<>();
    // Control messages sent and received in the current phase, per party.
    private final Map<String, Long> messages = new HashMap<>();
    private ReportSummary governance;
    // The running phase's fraction per participant, from its not-done step reports.
    private final Map<String, Double> phaseProgress = new HashMap<>();
    // Participants whose bad progress was logged in the running phase.
    private final Set<String> badProgress = new HashSet<>();

    Study(StudyPlan plan, byte[] digest, Path dir, StudyLog log, Consumer<StudyProgress> progress) {
      this.plan = plan;
      this.id = plan.getStudyId();
      this.parties = plan.getParticipantsList();
      this.dir = dir;
      this.log = log;
      this.progress = progress;
      this.digest = digest;
      this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.getTimeoutSeconds());
      this.summary = StudySummary.newBuilder().setStudyId(id).addAllParticipants(parties);
    }

    StudySummary run() {
      sessions.listen(id, new HashSet<>(parties), mailbox::add);
      dealer.open(id, parties);
      linkage.open(id, parties);
      try {
        open();
        for (String phase : Tasks.phases(plan.getTask())) {
          runPhase(phase);
        }
        summary.addAllTotals(totals);
        report();
        release();
        destroy();
        summary.setState(StudyState.DESTROYED.name());
        LOG.log(System.Logger.Level.INFO, "study " + id + " destroyed");
      } catch (StudyFailure e) {
        abort(e.getMessage());
      } catch (IOException e) {
        abort("protocol log failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort("coordinator interrupted");
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "study " + id + " failed", e);
        abort(e.getMessage() == null ? e.toString() : e.getMessage());
      } finally {
        sessions.unlisten(id);
        dealer.close(id);
        linkage.close(id);
        summary
            .setLogEntries(log.size())
            .setLogRoot(ByteString.copyFrom(log.checkpointRoot()))
            .setLogKeyFingerprint(log.key().fingerprint());
        try {
          log.close();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "closing the protocol log of " + id, e);
        }
      }
      StudySummary done = summary.build();
      progress.accept(
          progress(
                  "",
                  1,
                  done.getState().equals(StudyState.ABORTED.name())
                      ? done.getAbortReason()
                      : "destroyed")
              .toBuilder()
              .setState(done.getState())
              .setSummary(done)
              .build());
      return done;
    }

    /** Sends the plan, then checks and logs every participant's signed join. */
    private void open() throws StudyFailure, InterruptedException, IOException {
      try (LogContext.Scope c = LogContext.step("control/open")) {
        progress.accept(progress("open", 0, "waiting for participants"));
        awaitConnected();
        long t0 = System.nanoTime();
        Map<String, Long> bytes = zeroBytes();
        CoordinatorMessage.Builder open =
            CoordinatorMessage.newBuilder()
                .setOpen(
                    OpenStudy.newBuilder()
                        .setPlan(plan)
                        .setPlanDigest(ByteString.copyFrom(digest))
                        .setLogKey(ByteString.copyFrom(log.key().raw())));
        for (String p : parties) {
          opened.add(p);
          bytes.merge("coordinator", session(p).send(id, "control/open", open.clone()), Long::sum);
          messages.merge("coordinator", 1L, Long::sum);
        }
        publishCheckpoint(bytes);
        awaitAll(
            bytes,
            (node, m) -> {
              if (!m.hasJoin()) {
                throw new StudyFailure("expected a join from " + node + ", got " + m.getBodyCase());
              }
              verifyJoin(node, m);
              return true;
            });
        publishCheckpoint(bytes);
        summary.addPhases(
            PhaseSummary.newBuilder()
                .setName("open")
                .setWallSeconds(seconds(t0))
                .putAllBytesSent(bytes));
        recordTraffic("open", bytes, Map.of());
        LOG.log(System.Logger.Level.INFO, "study " + id + " opened; all participants joined");
      }
    }

    private void runPhase(String phase) throws StudyFailure, InterruptedException, IOException {
      try (LogContext.Scope c = LogContext.step("phase/" + phase)) {
        progress.accept(progress(phase, 0, "phase " + phase + " started"));
        long t0 = System.nanoTime();
        long dealtBefore = dealer.bytesSent(id) + linkage.bytesSent(id);
        String step = "phase/" + phase;
        Map<String, Long> bytes = zeroBytes();
        Map<String, Long> heap = new LinkedHashMap<>();
        Map<String, StepReport> reports = new LinkedHashMap<>();
        phaseProgress.clear();
        badProgress.clear();
        ProgressThrottle throttle = new ProgressThrottle();
        startStep(step, phase, bytes);
        awaitAll(
            bytes,
            (node, m) -> {
              StepReport r = expectReport(step, node, m);
              if (!r.getDone()) {
                nodeProgress(phase, node, r.getProgress(), throttle);
                return false;
              }
              bytes.merge(node, r.getBytesSent(), Long::sum);
              heap.put(node, r.getPeakHeapBytes());
              reports.put(node, r);
              phaseProgress.put(node, 1.0);
              if (reports.size() < parties.size()) {
                // The last one's end is the phase's "done" message.
                emitPhaseProgress(phase, throttle);
              }
              return true;
            });
        long coordinatorBytes = dealer.bytesSent(id) + linkage.bytesSent(id) - dealtBefore;
        bytes.merge("coordinator", coordinatorBytes, Long::sum);
        Map<String, Long> batches = new LinkedHashMap<>();
        reports.forEach((node, r) -> batches.put(node, r.getBatchesSent()));
        PhaseSummary.Builder phaseSummary =
            PhaseSummary.newBuilder().setName(phase).putAllPeakHeapBytes(heap);
        if (phase.equals("link")) {
          phaseSummary.putAllCounts(linkageCounts());
        }
        double wall = seconds(t0);
        log.stepEnded(step, phase, wall, reports, coordinatorBytes);
        List<Aggregate> agreed = agreedTotals(reports);
        if (!agreed.isEmpty()) {
          List<String> to = new ArrayList<>(parties);
          to.add("coordinator");
          log.releasedTotals(phase, agreed, to);
          totals.addAll(agreed);
        }
        if (phase.equals(Tasks.EVALUATE)) {
          List<String> to = new ArrayList<>(parties);
          to.add("coordinator");
          log.releasedVectors(phase, agreedEvaluation(reports), to);
          for (Map.Entry<String, StepReport> r : reports.entrySet()) {
            log.releasedVectors(
                phase + " (" + r.getKey() + "'s own)",
                r.getValue().getOwnVectorsList(),
                List.of("coordinator"));
          }
          evaluation = reports;
        }
        publishCheckpoint(bytes);
        summary.addPhases(phaseSummary.setWallSeconds(wall).putAllBytesSent(bytes));
        recordTraffic(phase, bytes, batches);
        progress.accept(progress(phase, 1, "phase " + phase + " done"));
      }
    }

    /**
     * Takes a node's not-done report of the running phase: a fraction within 0..1 and not lower
     * than its last one becomes its progress; anything else is ignored, with a warning once per
     * node and phase.
     */
    private void nodeProgress(
        String phase, String node, double fraction, ProgressThrottle throttle) {
      double before = phaseProgress.getOrDefault(node, 0.0);
      if (!ProgressThrottle.valid(fraction) || fraction < before) {
        if (badProgress.add(node)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "study "
                  + id
                  + ": ignored a progress of "
                  + fraction
                  + " from "
                  + node
                  + " in phase "
                  + phase
                  + (ProgressThrottle.valid(fraction)
                      ? " (its last was " + before + ")"
                      : " (not within 0..1)"));
        }
        return;
      }
      phaseProgress.put(node, fraction);
      emitPhaseProgress(phase, throttle);
    }

    /**
     * Passes on the phase's fraction, the minimum over the participants, when the throttle lets.
     */
    private void emitPhaseProgress(String phase, ProgressThrottle throttle) {
      double fraction = 1;
      for (String p : parties) {
        fraction = Math.min(fraction, phaseProgress.getOrDefault(p, 0.0));
      }
      fraction = Math.min(fraction, MAX_RUNNING_FRACTION);
      if (throttle.pass(fraction)) {
        String detail = PhaseProgress.describe(phase, fraction, plan.getParametersMap());
        progress.accept(
            progress(
                phase,
                fraction,
                "phase "
                    + phase
                    + " "
                    + PhaseProgress.percent(fraction)
                    + "%"
                    + (detail.isEmpty() ? "" : " (" + detail + ")")));
      }
    }

    /** Logs the start of a step, publishes the checkpoint and starts the step at every node. */
    private void startStep(String step, String phase, Map<String, Long> bytes)
        throws StudyFailure, IOException {
      startStep(step, StartStep.newBuilder().setPhase(phase), bytes);
    }

    private void startStep(String step, StartStep.Builder start, Map<String, Long> bytes)
        throws StudyFailure, IOException {
      log.stepStarted(step, start.getPhase());
      publishCheckpoint(bytes);
      broadcast(step, CoordinatorMessage.newBuilder().setStartStep(start), bytes);
    }

    /**
     * Adds a phase's traffic to the governance evidence: per party its bytes (protocol and control)
     * and messages (its control messages, plus the protocol batches a node reports); the
     * coordinator's bytes include the dealer's and the linkage's, whose streamed batches are not
     * counted as messages. Starts the message counts afresh.
     */
    private void recordTraffic(String phase, Map<String, Long> bytes, Map<String, Long> batches) {
      bytes.forEach(
          (party, sent) ->
              traffic.add(
                  new Evidence.Traffic(
                      party,
                      phase,
                      sent,
                      messages.getOrDefault(party, 0L) + batches.getOrDefault(party, 0L))));
      messages.clear();
    }

    /**
     * The report step, before anything is released: moves the study to REPORTED.
     *
     * <p>A study that evaluated a model (task {@code fraud-study}) gets its governance report
     * ({@link GovernanceEvidence}): the coordinator reads the opened evaluation totals, evaluates
     * the plan's policy against the evidence, writes {@value #GOVERNANCE_REPORT_FILE} and {@code
     * report.html} under its records and logs the SHA-256 of report.json with the verdicts. If any
     * article FAILs, the release step withholds {@link #WITHHELD_ON_FAIL} at every node. A study
     * without a model logs the digest of the coordinator's summary ({@value #REPORT_FILE}).
     */
    private void report() throws IOException, StudyFailure {
      try (LogContext.Scope c = LogContext.step("control/report")) {
        report = summaryJson();
        if (evaluation == null) {
          log.reported(REPORT_FILE, StudyLog.sha256(report));
        } else {
          GovernanceReport governanceReport =
              GovernanceEvidence.report(
                  plan,
                  evaluation,
                  new Evidence.Security(
                      GovernanceEvidence.text("trust-model.txt"),
                      GovernanceEvidence.text("leakage-profile.txt"),
                      ca,
                      allCertificates(),
                      true,
                      SESSION_STORE_ENCRYPTION,
                      traffic,
                      null),
                  GovernanceEvidence.records(log, dir.resolve(LOG_DIR), evaluation));
          String digest = governanceReport.write(dir.resolve(GOVERNANCE_DIR));
          Assessment assessment = governanceReport.assessment();
          governance =
              GovernanceEvidence.summary(
                  GOVERNANCE_REPORT_FILE,
                  digest,
                  assessment,
                  assessment.releaseBlocked() ? WITHHELD_ON_FAIL : List.of());
          summary.setReport(governance);
          log.reported(GOVERNANCE_REPORT_FILE, HexFormat.of().parseHex(digest), governance);
          if (assessment.releaseBlocked()) {
            LOG.log(
                System.Logger.Level.WARNING,
                "study "
                    + id
                    + ": the governance report blocks the model's release: "
                    + String.join("; ", governance.getFailuresList()));
          }
        }
        publishCheckpoint(null);
        progress.accept(progress("report", 1, "reported"));
      }
    }

    /** Every participant's certificate, as it joined, and the coordinator's. */
    private List<X509Certificate> allCertificates() {
      List<X509Certificate> all = new ArrayList<>();
      for (String p : parties) {
        all.add(certificates.get(p));
      }
      all.add(certificate);
      return all;
    }

    /**
     * Every node moves its staged outputs to where it keeps them and reports them; the coordinator
     * writes its own records; all are logged with their digests.
     */
    private void release() throws StudyFailure, InterruptedException, IOException {
      try (LogContext.Scope c = LogContext.step("control/" + StudyState.RELEASE_STEP)) {
        long t0 = System.nanoTime();
        String step = "control/" + StudyState.RELEASE_STEP;
        Map<String, Long> bytes = zeroBytes();
        Map<String, StepReport> reports = new LinkedHashMap<>();
        StartStep.Builder start = StartStep.newBuilder().setPhase(StudyState.RELEASE_STEP);
        if (governance != null) {
          start.addAllWithheld(governance.getWithheldList());
        }
        startStep(step, start, bytes);
        awaitAll(
            bytes,
            (node, m) -> {
              StepReport r = expectReport(step, node, m);
              if (!r.getDone()) {
                // Progress only; the release is done with the node's done report.
                return false;
              }
              reports.put(node, r);
              return true;
            });
        for (Map.Entry<String, StepReport> r : reports.entrySet()) {
          log.releasedFiles(r.getKey(), r.getValue().getReleasedList());
        }
        log.releasedFiles("coordinator", writeRecords());
        double wall = seconds(t0);
        log.stepEnded(step, StudyState.RELEASE_STEP, wall, reports, 0);
        publishCheckpoint(bytes);
        summary.addPhases(
            PhaseSummary.newBuilder()
                .setName(StudyState.RELEASE_STEP)
                .setWallSeconds(wall)
                .putAllBytesSent(bytes));
        progress.accept(progress(StudyState.RELEASE_STEP, 1, "outputs released"));
      }
    }

    /** Every node destroys its session store; the receipts are checked and logged. */
    private void destroy() throws StudyFailure, InterruptedException, IOException {
      try (LogContext.Scope c = LogContext.step("control/" + StudyState.DESTROY_STEP)) {
        long t0 = System.nanoTime();
        String step = "control/" + StudyState.DESTROY_STEP;
        Map<String, Long> bytes = zeroBytes();
        startStep(step, StudyState.DESTROY_STEP, bytes);
        awaitAll(
            bytes,
            (node, m) -> {
              if (!m.hasDestroyed() || !m.getHeader().getStep().equals(step)) {
                throw new StudyFailure(
                    "expected the destruction receipt of "
                        + node
                        + ", got "
                        + m.getBodyCase()
                        + " for "
                        + m.getHeader().getStep());
              }
              logReceipt(node, m.getDestroyed());
              return true;
            });
        double wall = seconds(t0);
        log.stepEnded(step, StudyState.DESTROY_STEP, wall, Map.of(), 0);
        log.moveTo(StudyState.DESTROYED);
        publishCheckpoint(bytes);
        sendToConnected(
            parties,
            "control/close",
            CoordinatorMessage.newBuilder()
                .setClose(CloseStudy.newBuilder().setState(StudyState.DESTROYED.name())),
            bytes);
        summary.addPhases(
            PhaseSummary.newBuilder()
                .setName(StudyState.DESTROY_STEP)
                .setWallSeconds(wall)
                .putAllBytesSent(bytes));
      }
    }

    /**
     * Logs the abort, tells every participant, and logs the destruction receipts of those that
     * answer in time ({@code RECEIPT_WAIT}).
     */
    private void abort(String reason) {
      try (LogContext.Scope c = LogContext.step("control/abort")) {
        LOG.log(System.Logger.Level.WARNING, "study " + id + " aborted: " + reason);
        summary.setState(StudyState.ABORTED.name()).setAbortReason(reason);
        try {
          if (!log.state().isFinal()) {
            log.aborted(reason);
          }
          publishCheckpoint(null);
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "cannot log the abort of study " + id, e);
        }
        sendToConnected(
            parties,
            "control/abort",
            CoordinatorMessage.newBuilder().setAbort(AbortStudy.newBuilder().setReason(reason)),
            null);
        try {
          collectReceipts();
          log.checkpoint();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.ERROR, "cannot log the receipts of study " + id, e);
        }
      }
    }

    /** Waits for and logs the receipts of the participants that hold a session store. */
    private void collectReceipts() throws InterruptedException, IOException {
      Set<String> waiting = new LinkedHashSet<>(opened);
      waiting.removeAll(destroyed);
      waiting.removeIf(p -> sessions.session(p) == null);
      long end = System.nanoTime() + RECEIPT_WAIT.toNanos();
      while (!waiting.isEmpty()) {
        long left = end - System.nanoTime();
        NodeEvent e = left <= 0 ? null : mailbox.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) {
          LOG.log(
              System.Logger.Level.WARNING,
              "study " + id + ": no destruction receipt from " + String.join(", ", waiting));
          return;
        }
        if (e.message() == null) {
          waiting.remove(e.node());
        } else if (e.message().hasDestroyed() && waiting.remove(e.node())) {
          try {
            logReceipt(e.node(), e.message().getDestroyed());
          } catch (StudyFailure refused) {
            LOG.log(System.Logger.Level.WARNING, "study " + id + ": " + refused.getMessage());
          }
        }
      }
    }

    /** Checks a node's receipt against the certificate it joined with, and logs it. */
    private void logReceipt(String node, Destroyed d) throws StudyFailure, IOException {
      // A node whose join was refused may hold a session store too; its session's certificate
      // is the one it signs with.
      X509Certificate certificate = certificates.get(node);
      if (certificate == null) {
        certificate = session(node).certificate();
      }
      DestructionReceipt receipt;
      try {
        receipt =
            new DestructionReceipt(
                id,
                node,
                d.getFiles(),
                d.getBytes(),
                d.getListingSha256(),
                d.getDestroyedAtMillis(),
                d.getSignature().toByteArray());
        receipt.verify(certificate);
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        throw new StudyFailure(node + "'s destruction receipt is refused: " + e.getMessage());
      }
      log.destroyed(receipt);
      destroyed.add(node);
    }

    private void verifyJoin(String node, NodeMessage m) throws StudyFailure, IOException {
      if (!MessageDigest.isEqual(digest, m.getJoin().getPlanDigest().toByteArray())) {
        throw new StudyFailure(node + " joined with the digest of another plan");
      }
      X509Certificate certificate = session(node).certificate();
      byte[] signature = m.getJoin().getSignature().toByteArray();
      try {
        TlsMaterial.verify(certificate, digest, signature);
      } catch (GeneralSecurityException e) {
        throw new StudyFailure(
            node + "'s signature over the plan does not verify: " + e.getMessage());
      }
      log.joined(node, digest, signature, certificate);
      certificates.put(node, certificate);
    }

    /**
     * Signs a checkpoint of the log as it stands and sends it to every participant that was sent
     * the plan and is connected (a lost one aborts the study by its own event).
     */
    private void publishCheckpoint(Map<String, Long> bytes) throws IOException {
      CheckpointUpdate update = log.checkpoint();
      LogCheckpoint.Builder checkpoint =
          LogCheckpoint.newBuilder()
              .setCheckpoint(ByteString.copyFrom(update.checkpoint().encode()))
              .setPreviousSize(update.previousSize());
      update
          .consistencyProof()
          .forEach(h -> checkpoint.addConsistencyProof(ByteString.copyFrom(h)));
      sendToConnected(
          opened,
          "control/checkpoint",
          CoordinatorMessage.newBuilder().setCheckpoint(checkpoint),
          bytes);
    }

    /** The sizes linkage found, for the summary; keeps the result for the release step. */
    private Map<String, Long> linkageCounts() throws StudyFailure {
      try {
        linked = linkage.result(id).get(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StudyFailure("interrupted while waiting for linkage");
      } catch (ExecutionException | TimeoutException e) {
        throw new StudyFailure("linkage did not finish: " + e.getMessage());
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("handles", (long) linked.graph().handles());
      counts.put("flow_edges", (long) linked.graph().flowSrc().length);
      counts.put("identity_edges", (long) linked.graph().identitySrc().length);
      counts.put("identity_clusters", (long) linked.clusters().size());
      counts.put("clustered_accounts", linked.clusters().stream().mapToLong(c -> c.length).sum());
      counts.put("unmatched_counterparties", linked.unmatchedCounterparts());
      return counts;
    }

    /**
     * Writes what the coordinator keeps of the study under its records: the report and, after
     * linkage, the identity clusters over handles ({@value #CLUSTERS_FILE}).
     */
    private List<ReleasedOutput> writeRecords() throws IOException {
      List<ReleasedOutput> written = new ArrayList<>();
      if (linked != null) {
        written.add(
            writeRecord(
                CLUSTERS_FILE,
                out -> {
                  Writer csv =
                      new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
                  csv.write("cluster,handle\n");
                  for (int c = 0; c < linked.clusters().size(); c++) {
                    for (int h : linked.clusters().get(c)) {
                      csv.write(c + "," + h + "\n");
                    }
                  }
                  csv.flush();
                }));
      }
      written.add(writeRecord(REPORT_FILE, out -> out.write(report)));
      if (governance != null) {
        written.add(recordOf(GOVERNANCE_REPORT_FILE));
        written.add(recordOf(GOVERNANCE_DIR + "/" + GovernanceReport.HTML_FILE));
      }
      written.sort(Comparator.comparing(ReleasedOutput::getPath));
      return written;
    }

    /** A file written under the study's records already: its path, size and SHA-256. */
    private ReleasedOutput recordOf(String path) throws IOException {
      byte[] bytes = Files.readAllBytes(dir.resolve(path));
      return ReleasedOutput.newBuilder()
          .setPath(path)
          .setSha256(ByteString.copyFrom(StudyLog.sha256(bytes)))
          .build();
    }

    /** Writes one file under the study's records; returns its path and SHA-256. */
    private ReleasedOutput writeRecord(String path, Content content) throws IOException {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      MessageDigest sha256;
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
        content.write(out);
      }
      return ReleasedOutput.newBuilder()
          .setPath(path)
          .setSha256(ByteString.copyFrom(sha256.digest()))
          .build();
    }

    /** The coordinator's summary of the study so far, as JSON: phases and opened totals. */
    private byte[] summaryJson() throws IOException {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("study", id);
      json.put("task", plan.getTask());
      json.put("participants", parties);
      List<Map<String, Object>> phases = new ArrayList<>();
      for (PhaseSummary p : summary.getPhasesList()) {
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("name", p.getName());
        phase.put("wall_s", p.getWallSeconds());
        phase.put("bytes_sent", new TreeMap<>(p.getBytesSentMap()));
        if (p.getCountsCount() > 0) {
          phase.put("counts", new TreeMap<>(p.getCountsMap()));
        }
        phases.add(phase);
      }
      json.put("phases", phases);
      Map<String, Long> opened = new LinkedHashMap<>();
      totals.forEach(a -> opened.put(a.getName(), a.getValue()));
      json.put("totals", opened);
      return JSON.writeValueAsBytes(json);
    }

    private StepReport expectReport(String step, String node, NodeMessage m) throws StudyFailure {
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
      return m.getStepReport();
    }

    private NodeSession session(String node) throws StudyFailure {
      NodeSession s = sessions.session(node);
      if (s == null) {
        throw new StudyFailure(node + " is no longer connected");
      }
      return s;
    }

    /**
     * Sends {@code m} to every participant, adding the bytes to the coordinator's count.
     *
     * @throws StudyFailure if a participant is not connected
     */
    private void broadcast(String step, CoordinatorMessage.Builder m, Map<String, Long> bytes)
        throws StudyFailure {
      for (String p : parties) {
        session(p);
      }
      sendToConnected(parties, step, m, bytes);
    }

    /**
     * Sends {@code m} to those of {@code to} that are connected, adding the bytes to the
     * coordinator's count in {@code bytes} unless it is null.
     */
    private void sendToConnected(
        Collection<String> to, String step, CoordinatorMessage.Builder m, Map<String, Long> bytes) {
      for (String p : to) {
        NodeSession s = sessions.session(p);
        if (s != null) {
          long sent = s.send(id, step, m.clone());
          if (bytes != null) {
            bytes.merge("coordinator", sent, Long::sum);
            messages.merge("coordinator", 1L, Long::sum);
          }
        }
      }
    }

    private void awaitAll(Map<String, Long> bytes, Handler handler)
        throws StudyFailure, InterruptedException, IOException {
      Set<String> waiting = new HashSet<>(parties);
      while (!waiting.isEmpty()) {
        long left = deadline - System.nanoTime();
        NodeEvent e = left <= 0 ? null : mailbox.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new StudyFailure(
              "study timed out after "
                  + plan.getTimeoutSeconds()
                  + " s waiting for "
                  + String.join(", ", waiting));
        }
        if (e.message() == null) {
          throw new StudyFailure(e.lostReason());
        }
        bytes.merge(e.node(), e.wireBytes(), Long::sum);
        messages.merge(e.node(), 1L, Long::sum);
        if (e.message().hasAbort()) {
          throw new StudyFailure(e.message().getAbort().getReason());
        }
        if (handler.handle(e.node(), e.message())) {
          waiting.remove(e.node());
        }
      }
    }

    private void awaitConnected() throws StudyFailure, InterruptedException {
      long end = System.nanoTime() + joinTimeout.toNanos();
      while (true) {
        List<String> missing = parties.stream().filter(p -> sessions.session(p) == null).toList();
        if (missing.isEmpty()) {
          return;
        }
        if (System.nanoTime() > end) {
          throw new StudyFailure(
              "not connected to the coordinator after "
                  + joinTimeout.toSeconds()
                  + " s: "
                  + String.join(", ", missing));
        }
        Thread.sleep(50);
      }
    }

    private Map<String, Long> zeroBytes() {
      Map<String, Long> m = new LinkedHashMap<>();
      parties.forEach(p -> m.put(p, 0L));
      m.put("coordinator", 0L);
      return m;
    }

    private StudyProgress progress(String phase, double fraction, String message) {
      return StudyProgress.newBuilder()
          .setStudyId(id)
          .setState(log.state().name())
          .setPhase(phase)
          .setProgress(fraction)
          .setMessage(message)
          .build();
    }
  }

  /** The totals opened in one phase, which every participant must have reported identically. */
  private static List<Aggregate> agreedTotals(Map<String, StepReport> reports) throws StudyFailure {
    List<Aggregate> first = null;
    String firstNode = null;
    for (Map.Entry<String, StepReport> e : reports.entrySet()) {
      List<Aggregate> opened = e.getValue().getOpenedList();
      if (opened.isEmpty()) {
        continue;
      }
      if (first == null) {
        first = opened;
        firstNode = e.getKey();
      } else if (!first.equals(opened)) {
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

  /**
   * The evaluate phase's opened vectors, after checking that every participant reported the same
   * vectors and the same model.
   */
  private static List<OpenedVector> agreedEvaluation(Map<String, StepReport> reports)
      throws StudyFailure {
    StepReport first = null;
    String firstNode = null;
    for (Map.Entry<String, StepReport> e : reports.entrySet()) {
      StepReport r = e.getValue();
      if (!r.hasModel() || r.getOpenedVectorsCount() == 0) {
        throw new StudyFailure(e.getKey() + " reported no evaluation of the model");
      }
      if (first == null) {
        first = r;
        firstNode = e.getKey();
      } else if (!first.getOpenedVectorsList().equals(r.getOpenedVectorsList())) {
        throw new StudyFailure(
            "participants opened different evaluation totals: "
                + firstNode
                + " and "
                + e.getKey()
                + " disagree");
      } else if (!first.getModel().equals(r.getModel())) {
        throw new StudyFailure(
            "participants hold different models: "
                + firstNode
                + " and "
                + e.getKey()
                + " disagree"
                + (first.getModel().getProvenance().equals(r.getModel().getProvenance())
                    ? ""
                    : " on the training's provenance"));
      }
    }
    if (first == null) {
      throw new StudyFailure("no participant reported the evaluation");
    }
    return first.getOpenedVectorsList();
  }

  private interface Handler {
    /** Handles one message; returns true when the node is done with the current wait. */
    boolean handle(String node, NodeMessage m) throws StudyFailure, IOException;
  }

  private interface Content {
    void write(OutputStream out) throws IOException;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
