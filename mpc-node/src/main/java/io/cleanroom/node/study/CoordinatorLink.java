package io.cleanroom.node.study;

import com.google.protobuf.ByteString;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.net.Inboxes;
import io.cleanroom.node.net.InjectedFaults;
import io.cleanroom.node.net.PeerChannels;
import io.cleanroom.node.net.RemoteRandomness;
import io.cleanroom.node.store.SessionStore;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.log.CheckpointVerifier;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.logging.LogContext;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.Progress;
import io.cleanroom.protocol.study.ProgressThrottle;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.wire.v1.AbortStudy;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Destroyed;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.Hello;
import io.cleanroom.protocol.wire.v1.Join;
import io.cleanroom.protocol.wire.v1.LogCheckpoint;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OpenStudy;
import io.cleanroom.protocol.wire.v1.StartStep;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's control session with the coordinator. The node dials out (a bank's firewall need only
 * allow outbound traffic to the coordinator and the peer nodes' exchange port), says hello, and
 * then follows the coordinator's instructions: join a study after checking its plan, run each phase
 * when told, release its outputs, destroy its session store and return a signed receipt, abort when
 * told or when something goes wrong, close. Every checkpoint of the study's protocol log must
 * extend the last one this node accepted; one that does not aborts the study. An aborted study's
 * staged outputs are deleted and its session store destroyed, and the receipt goes to the
 * coordinator if the session is still up. A lost session aborts every running study and the node
 * dials again with back-off.
 *
 * <p>What the coordinator receives from a node: its signature over each plan, per-phase byte counts
 * and SHA-256 digests of what it sent to each peer, the totals the parties opened to all, the
 * names, sizes and digests of the outputs it keeps, its destruction receipts, and while a long
 * phase runs the fraction of it done (from public sizes: iterations, batches, epochs); never data,
 * shares or openings.
 */
public final class CoordinatorLink implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CoordinatorLink.class.getName());
  private static final String VERSION = "cleanroom/1";
  // A session lives for a day at most; the node then dials again. Keepalive pings detect a dead
  // coordinator long before that.
  private static final long SESSION_DEADLINE_HOURS = 24;

  private final NodeConfig.Resolved config;
  private final BankData data;
  private final WorkFolder work;
  private final TlsMaterial tls;
  private final Inboxes inboxes;
  private final PeerChannels peers;
  private final StudyRegistry registry;
  private final ManagedChannel channel;
  private final ExecutorService steps;
  private final ScheduledExecutorService redial =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "redial"));
  private final Map<String, StudyCustody> studies = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private Session session;

  /**
   * @param work where the node keeps the studies' session stores and outputs
   * @param registry where the link records each study's lifecycle for the status service
   */
  public CoordinatorLink(
      NodeConfig.Resolved config,
      BankData data,
      WorkFolder work,
      TlsMaterial tls,
      Inboxes inboxes,
      PeerChannels peers,
      StudyRegistry registry,
      ClientInterceptor... interceptors)
      throws GeneralSecurityException {
    this(
        config,
        data,
        work,
        tls,
        inboxes,
        peers,
        registry,
        Executors.newCachedThreadPool(r -> daemon(r, "step")),
        interceptors);
  }

  /**
   * A link whose steps (phases, release, destruction, discards) run on {@code steps}; the public
   * constructor gives each its own daemon thread. Tests pass an executor that runs them on the
   * calling thread, so that a control message is handled completely when {@link Session#onNext}
   * returns.
   */
  CoordinatorLink(
      NodeConfig.Resolved config,
      BankData data,
      WorkFolder work,
      TlsMaterial tls,
      Inboxes inboxes,
      PeerChannels peers,
      StudyRegistry registry,
      ExecutorService steps,
      ClientInterceptor... interceptors)
      throws GeneralSecurityException {
    this.steps = steps;
    this.config = config;
    this.data = data;
    this.work = work;
    this.tls = tls;
    this.inboxes = inboxes;
    this.peers = peers;
    this.registry = registry;
    this.channel =
        Grpc.newChannelBuilder(
                config.coordinator().target(),
                MutualTls.channelCredentials(
                    tls, new PartyIdentity(config.coordinatorName(), Role.COORDINATOR)))
            .overrideAuthority(config.coordinatorName())
            .intercept(interceptors)
            .maxInboundMessageSize(16 << 20)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .keepAliveTimeout(10, TimeUnit.SECONDS)
            .build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, "coordinator-link-" + name);
    t.setDaemon(true);
    return t;
  }

  /** Dials the coordinator; returns at once, the session runs in the background. */
  public synchronized void start() {
    if (closed) {
      return;
    }
    session = new Session();
    session.open();
  }

  /**
   * Test hook: starts a control session whose messages to the coordinator go to {@code out} instead
   * of a dialled stream (no hello is sent), and returns the observer that takes the coordinator's
   * messages, exactly as the gRPC stream would deliver them. The link's channel is not used by the
   * session itself; a phase that calls the coordinator (dealer, linkage) still does.
   */
  synchronized StreamObserver<CoordinatorMessage> attach(StreamObserver<NodeMessage> out) {
    session = new Session();
    session.out = out;
    return session;
  }

  private void scheduleRedial() {
    if (!closed) {
      redial.schedule(this::start, 2, TimeUnit.SECONDS);
    }
  }

  /**
   * Aborts every running study, telling the coordinator why, destroys each one's session store once
   * its running phase has stopped and sends the receipt, then ends the session.
   */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    Session s;
    synchronized (this) {
      s = session;
    }
    String reason = config.name() + " is shutting down";
    Map<String, StudyCustody> running = new LinkedHashMap<>();
    for (String id : studies.keySet()) {
      StudyCustody custody = stop(id, reason);
      if (custody != null) {
        running.put(id, custody);
        if (s != null) {
          s.send(id, "control/abort", abortMessage(reason));
        }
      }
    }
    // Running phases fail once cancelled; discards already under way finish.
    steps.shutdown();
    if (!steps.awaitTermination(10, TimeUnit.SECONDS)) {
      steps.shutdownNow();
      steps.awaitTermination(5, TimeUnit.SECONDS);
    }
    running.forEach(
        (id, custody) -> {
          DestructionReceipt receipt = discard(id, custody);
          if (receipt != null && s != null) {
            s.send(id, "control/" + StudyState.DESTROY_STEP, receiptMessage(receipt));
          }
        });
    if (s != null) {
      s.end();
    }
    redial.shutdownNow();
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  /** Removes a study and cancels its protocol; returns it, or null if it was not running. */
  private StudyCustody stop(String studyId, String reason) {
    StudyCustody custody = studies.remove(studyId);
    inboxes.remove(studyId);
    if (custody != null) {
      registry.aborted(studyId, reason);
      custody.cancel(reason);
      LOG.log(System.Logger.Level.WARNING, "study " + studyId + " aborted: " + reason);
    }
    return custody;
  }

  /**
   * Deletes an aborted study's staged outputs and destroys its session store once its running phase
   * has stopped; returns the signed receipt, or null if there is nothing to destroy or it failed.
   */
  private DestructionReceipt discard(String studyId, StudyCustody custody) {
    try {
      DestructionReceipt.Unsigned destroyed = custody.discard();
      return destroyed == null ? null : signed(studyId, destroyed);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.ERROR,
          "study " + studyId + ": destroying the session store failed",
          e);
      return null;
    }
  }

  /** Signs the receipt for the destruction of a study's session store. */
  private DestructionReceipt signed(String studyId, DestructionReceipt.Unsigned destroyed)
      throws GeneralSecurityException {
    DestructionReceipt receipt = destroyed.sign(tls);
    LOG.log(
        System.Logger.Level.INFO,
        "study "
            + studyId
            + ": session store destroyed ("
            + receipt.files()
            + " files, "
            + receipt.bytes()
            + " bytes)");
    return receipt;
  }

  /** One control session; a new one is made for every dial. */
  private final class Session implements StreamObserver<CoordinatorMessage> {
    private StreamObserver<NodeMessage> out;
    private long sentSeq;
    private long receivedSeq;
    private boolean ended;
    private final InjectedFaults faults = InjectedFaults.of(config.faults());

    void open() {
      out =
          CoordinationGrpc.newStub(channel)
              .withDeadlineAfter(SESSION_DEADLINE_HOURS, TimeUnit.HOURS)
              .withWaitForReady()
              .session(this);
      send(
          "",
          "control/hello",
          NodeMessage.newBuilder().setHello(Hello.newBuilder().setVersion(VERSION)));
    }

    synchronized void send(String studyId, String step, NodeMessage.Builder m) {
      if (ended || faulted(m)) {
        return;
      }
      out.onNext(
          m.setHeader(Header.newBuilder().setStudyId(studyId).setStep(step).setSeq(++sentSeq))
              .build());
    }

    /**
     * For testing only ({@link NodeConfig.Faults} naming the coordinator): waits before a control
     * message, and returns true for one that must be dropped. The hello is never affected, so that
     * the session itself comes up.
     */
    private boolean faulted(NodeMessage.Builder m) {
      if (faults == null || m.hasHello() || !faults.affects(config.coordinatorName())) {
        return false;
      }
      try {
        return !faults.pass();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    synchronized void end() {
      if (!ended) {
        ended = true;
        out.onCompleted();
      }
    }

    @Override
    public void onNext(CoordinatorMessage m) {
      Header h = m.getHeader();
      try (LogContext.Scope c = LogContext.open(config.name(), h.getStudyId(), h.getStep())) {
        handle(m, h);
      }
    }

    private void handle(CoordinatorMessage m, Header h) {
      if (h.getSeq() != receivedSeq + 1) {
        String reason =
            "control message from the coordinator out of sequence: seq "
                + h.getSeq()
                + ", expected "
                + (receivedSeq + 1);
        LOG.log(System.Logger.Level.WARNING, "refused: " + reason);
        if (!h.getStudyId().isEmpty()) {
          abort(h.getStudyId(), h.getStep(), reason);
        }
        return;
      }
      receivedSeq = h.getSeq();
      switch (m.getBodyCase()) {
        case WELCOME -> LOG.log(System.Logger.Level.INFO, "connected to the coordinator");
        case OPEN -> join(m.getOpen());
        case CHECKPOINT -> checkpoint(h.getStudyId(), h.getStep(), m.getCheckpoint());
        case START_STEP -> startStep(h.getStudyId(), h.getStep(), m.getStartStep());
        case ABORT -> aborted(h.getStudyId(), "coordinator: " + m.getAbort().getReason());
        case CLOSE -> closeStudy(h.getStudyId(), m.getClose().getState());
        default ->
            LOG.log(System.Logger.Level.WARNING, "ignored control message " + m.getBodyCase());
      }
    }

    private void join(OpenStudy open) {
      StudyPlan plan = open.getPlan();
      String id = plan.getStudyId();
      SessionStore store = null;
      Inbox inbox = null;
      StudyCustody custody = null;
      try {
        if (!MessageDigest.isEqual(PlanDigest.of(plan), open.getPlanDigest().toByteArray())) {
          throw new IllegalArgumentException("plan digest does not match the plan");
        }
        checkPlan(plan);
        if (studies.containsKey(id) || inboxes.get(id) != null) {
          throw new IllegalStateException("study " + id + " is already running");
        }
        CheckpointVerifier checkpoints =
            new CheckpointVerifier(LogPublicKey.fromRaw(open.getLogKey().toByteArray()), id);
        store = SessionStore.create(work.sessions(), id);
        inbox =
            new Inbox(
                id,
                config.name(),
                plan.getParticipantsList(),
                1L << 28,
                Duration.ofSeconds(config.stepTimeoutSeconds()));
        GrpcTransport transport =
            new GrpcTransport(
                id,
                config.name(),
                plan.getParticipantsList(),
                inbox,
                peers,
                Duration.ofSeconds(plan.getTimeoutSeconds()));
        transport.injectFaults(config.faults());
        inboxes.register(inbox);
        RemoteRandomness dealer =
            new RemoteRandomness(
                channel,
                id,
                Duration.ofSeconds(plan.getTimeoutSeconds()),
                plan.getParticipantsList().indexOf(config.name()),
                plan.getParticipantsCount());
        NodeStudy study =
            new NodeStudy(plan, data, transport, dealer, channel, store, work.staging(id));
        custody = new StudyCustody(plan, study, store, work, checkpoints);
        studies.put(id, custody);
        registry.joined(plan);
        byte[] signature = tls.sign(open.getPlanDigest().toByteArray());
        send(
            id,
            "control/join",
            NodeMessage.newBuilder()
                .setJoin(
                    Join.newBuilder()
                        .setPlanDigest(open.getPlanDigest())
                        .setSignature(ByteString.copyFrom(signature))));
        LOG.log(System.Logger.Level.INFO, "joined study " + id + " (" + plan.getTask() + ")");
      } catch (IllegalArgumentException
          | IllegalStateException
          | GeneralSecurityException
          | IOException
          | LogException e) {
        String reason = "cannot join: " + e.getMessage();
        if (custody != null) {
          abort(id, "control/join", reason);
        } else {
          if (inbox != null) {
            inboxes.remove(id);
          }
          if (store != null) {
            destroyUnused(store);
          }
          send(id, "control/join", abortMessage(reason));
        }
      }
    }

    /** Destroys the store of a study this node could not join; nothing was written to it. */
    private void destroyUnused(SessionStore store) {
      try {
        store.destroy();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "destroying the unused store failed", e);
      }
    }

    private void checkPlan(StudyPlan plan) {
      if (!plan.getParticipantsList().contains(config.name())) {
        throw new IllegalArgumentException(config.name() + " is not a participant");
      }
      for (String p : plan.getParticipantsList()) {
        if (!p.equals(config.name()) && config.peer(p) == null) {
          throw new IllegalArgumentException("no address configured for participant " + p);
        }
      }
      Tasks.phases(plan.getTask());
      if (plan.getTimeoutSeconds() <= 0) {
        throw new IllegalArgumentException("plan has no timeout");
      }
    }

    /** Checks a checkpoint of the study's protocol log; an inconsistent one aborts the study. */
    private void checkpoint(String studyId, String step, LogCheckpoint m) {
      StudyCustody custody = studies.get(studyId);
      if (custody == null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "ignored a protocol log checkpoint of study " + studyId + ", which is not running");
        return;
      }
      try {
        custody.accept(m);
      } catch (LogException e) {
        abort(
            studyId,
            step,
            config.name() + " refused a checkpoint of the protocol log: " + e.getMessage());
      }
    }

    private void startStep(String studyId, String step, StartStep start) {
      String phase = start.getPhase();
      StudyCustody custody = studies.get(studyId);
      if (custody == null) {
        send(studyId, step, abortMessage(config.name() + " is not running study " + studyId));
        return;
      }
      steps.execute(
          () -> {
            try (LogContext.Scope c = LogContext.open(config.name(), studyId, step)) {
              LOG.log(System.Logger.Level.INFO, "study " + studyId + ": " + phase);
              registry.stepStarted(studyId, phase);
              switch (phase) {
                case StudyState.RELEASE_STEP ->
                    send(
                        studyId,
                        step,
                        NodeMessage.newBuilder()
                            .setStepReport(custody.release(start.getWithheldList())));
                case StudyState.DESTROY_STEP ->
                    send(studyId, step, receiptMessage(signed(studyId, custody.destroy())));
                default ->
                    send(
                        studyId,
                        step,
                        NodeMessage.newBuilder()
                            .setStepReport(
                                custody.runPhase(
                                    phase, progressReports(studyId, step, phase, custody))));
              }
              registry.stepDone(studyId, phase);
            } catch (Exception e) {
              String reason = phase + " failed at " + config.name() + ": " + e.getMessage();
              if (studies.get(studyId) == custody) {
                LOG.log(System.Logger.Level.ERROR, reason, e);
                abort(studyId, step, reason);
              } else {
                // The study was aborted while the step ran; that abort is what stopped it.
                LOG.log(System.Logger.Level.INFO, "study " + studyId + ": " + reason);
              }
            }
          });
    }

    /**
     * Sends the running phase's progress to the coordinator as not-done step reports carrying only
     * the phase and the fraction, throttled ({@link ProgressThrottle}'s defaults: two a second at
     * most, each at least 1% on from the last), while the study is still running here; the status
     * service shows the same fraction.
     */
    private Progress progressReports(
        String studyId, String step, String phase, StudyCustody custody) {
      ProgressThrottle throttle = new ProgressThrottle();
      return fraction -> {
        if (throttle.pass(fraction) && studies.get(studyId) == custody) {
          registry.progress(studyId, phase, fraction);
          send(
              studyId,
              step,
              NodeMessage.newBuilder()
                  .setStepReport(
                      StepReport.newBuilder()
                          .setPhase(phase)
                          .setProgress(fraction)
                          .setDone(false)));
        }
      };
    }

    private void closeStudy(String studyId, String state) {
      StudyCustody custody = studies.remove(studyId);
      if (custody != null) {
        custody.transport().close();
      }
      inboxes.remove(studyId);
      registry.closed(studyId, state);
      LOG.log(System.Logger.Level.INFO, "study " + studyId + " closed: " + state);
    }

    /**
     * Aborts a study this node found wrong: cancels it, tells the coordinator why, then discards it
     * and sends the destruction receipt.
     */
    private void abort(String studyId, String step, String reason) {
      StudyCustody custody = stop(studyId, reason);
      send(studyId, step, abortMessage(reason));
      if (custody != null) {
        discardAndReport(studyId, custody);
      }
    }

    /** Aborts a study the coordinator aborted, then discards it and sends the receipt. */
    private void aborted(String studyId, String reason) {
      StudyCustody custody = stop(studyId, reason);
      if (custody != null) {
        discardAndReport(studyId, custody);
      }
    }

    /** Discards the study once its running phase stops, off the session's thread. */
    private void discardAndReport(String studyId, StudyCustody custody) {
      steps.execute(
          LogContext.wrap(
              () -> {
                DestructionReceipt receipt = discard(studyId, custody);
                if (receipt != null) {
                  send(studyId, "control/" + StudyState.DESTROY_STEP, receiptMessage(receipt));
                }
              }));
    }

    @Override
    public void onError(Throwable t) {
      lost("control session lost: " + Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      lost("coordinator closed the control session");
    }

    private void lost(String reason) {
      synchronized (this) {
        ended = true;
      }
      if (closed) {
        return;
      }
      LOG.log(System.Logger.Level.WARNING, reason + "; dialling again");
      for (String id : studies.keySet()) {
        try (LogContext.Scope c = LogContext.open(config.name(), id, "control/abort")) {
          StudyCustody custody = stop(id, reason);
          if (custody != null) {
            steps.execute(LogContext.wrap(() -> discard(id, custody)));
          }
        }
      }
      scheduleRedial();
    }
  }

  private static NodeMessage.Builder abortMessage(String reason) {
    return NodeMessage.newBuilder().setAbort(AbortStudy.newBuilder().setReason(reason));
  }

  private static NodeMessage.Builder receiptMessage(DestructionReceipt receipt) {
    return NodeMessage.newBuilder()
        .setDestroyed(
            Destroyed.newBuilder()
                .setFiles(receipt.files())
                .setBytes(receipt.bytes())
                .setListingSha256(receipt.listingSha256())
                .setDestroyedAtMillis(receipt.destroyedAtMillis())
                .setSignature(ByteString.copyFrom(receipt.signature())));
  }
}
