package io.cleanroom.node.study;

import com.google.protobuf.ByteString;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.net.Inboxes;
import io.cleanroom.node.net.PeerChannels;
import io.cleanroom.node.net.RemoteRandomness;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.wire.v1.AbortStudy;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.Hello;
import io.cleanroom.protocol.wire.v1.Join;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
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
 * when told, abort when told or when something goes wrong, close. A lost session aborts every
 * running study and the node dials again with back-off.
 *
 * <p>What the coordinator receives from a node: its signature over each plan, per-phase byte
 * counts, and the totals the parties opened to all; never data, shares or openings.
 */
public final class CoordinatorLink implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CoordinatorLink.class.getName());
  private static final String VERSION = "cleanroom/1";
  // A session lives for a day at most; the node then dials again. Keepalive pings detect a dead
  // coordinator long before that.
  private static final long SESSION_DEADLINE_HOURS = 24;

  private final NodeConfig.Resolved config;
  private final BankData data;
  private final TlsMaterial tls;
  private final Inboxes inboxes;
  private final PeerChannels peers;
  private final ManagedChannel channel;
  private final ExecutorService steps = Executors.newCachedThreadPool(r -> daemon(r, "step"));
  private final ScheduledExecutorService redial =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "redial"));
  private final Map<String, NodeStudy> studies = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private Session session;

  public CoordinatorLink(
      NodeConfig.Resolved config,
      BankData data,
      TlsMaterial tls,
      Inboxes inboxes,
      PeerChannels peers,
      ClientInterceptor... interceptors)
      throws GeneralSecurityException {
    this.config = config;
    this.data = data;
    this.tls = tls;
    this.inboxes = inboxes;
    this.peers = peers;
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

  private void scheduleRedial() {
    if (!closed) {
      redial.schedule(this::start, 2, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    studies.keySet().forEach(id -> abortLocally(id, "node is shutting down"));
    synchronized (this) {
      if (session != null) {
        session.end();
      }
    }
    redial.shutdownNow();
    steps.shutdownNow();
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  private void abortLocally(String studyId, String reason) {
    NodeStudy s = studies.remove(studyId);
    Inbox inbox = inboxes.get(studyId);
    if (inbox != null) {
      inbox.stop(reason);
      inboxes.remove(studyId);
    }
    if (s != null) {
      s.transport().cancel(reason);
      LOG.log(System.Logger.Level.WARNING, "study " + studyId + " aborted: " + reason);
    }
  }

  /** One control session; a new one is made for every dial. */
  private final class Session implements StreamObserver<CoordinatorMessage> {
    private StreamObserver<NodeMessage> out;
    private long sentSeq;
    private long receivedSeq;
    private boolean ended;

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
      if (ended) {
        return;
      }
      out.onNext(
          m.setHeader(Header.newBuilder().setStudyId(studyId).setStep(step).setSeq(++sentSeq))
              .build());
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
      if (h.getSeq() != receivedSeq + 1) {
        String reason =
            "control message from the coordinator out of sequence: seq "
                + h.getSeq()
                + ", expected "
                + (receivedSeq + 1);
        LOG.log(System.Logger.Level.WARNING, "refused: " + reason);
        if (!h.getStudyId().isEmpty()) {
          abortLocally(h.getStudyId(), reason);
          abortToCoordinator(h.getStudyId(), h.getStep(), reason);
        }
        return;
      }
      receivedSeq = h.getSeq();
      switch (m.getBodyCase()) {
        case WELCOME -> LOG.log(System.Logger.Level.INFO, "connected to the coordinator");
        case OPEN -> join(m.getOpen().getPlan(), m.getOpen().getPlanDigest());
        case START_STEP -> startStep(h.getStudyId(), h.getStep(), m.getStartStep().getPhase());
        case ABORT -> abortLocally(h.getStudyId(), "coordinator: " + m.getAbort().getReason());
        case CLOSE -> closeStudy(h.getStudyId(), m.getClose().getState());
        default ->
            LOG.log(System.Logger.Level.WARNING, "ignored control message " + m.getBodyCase());
      }
    }

    private void join(StudyPlan plan, ByteString digest) {
      String id = plan.getStudyId();
      try {
        if (!MessageDigest.isEqual(PlanDigest.of(plan), digest.toByteArray())) {
          throw new IllegalArgumentException("plan digest does not match the plan");
        }
        checkPlan(plan);
        Inbox inbox =
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
        inboxes.register(inbox);
        RemoteRandomness dealer =
            new RemoteRandomness(
                channel,
                id,
                Duration.ofSeconds(plan.getTimeoutSeconds()),
                plan.getParticipantsList().indexOf(config.name()),
                plan.getParticipantsCount());
        studies.put(
            id,
            new NodeStudy(
                plan, data, transport, dealer, channel, config.work().resolve(id).resolve("out")));
        byte[] signature = tls.sign(digest.toByteArray());
        send(
            id,
            "control/join",
            NodeMessage.newBuilder()
                .setJoin(
                    Join.newBuilder()
                        .setPlanDigest(digest)
                        .setSignature(ByteString.copyFrom(signature))));
        LOG.log(System.Logger.Level.INFO, "joined study " + id + " (" + plan.getTask() + ")");
      } catch (IllegalArgumentException | IllegalStateException | GeneralSecurityException e) {
        abortLocally(id, e.getMessage());
        abortToCoordinator(id, "control/join", "cannot join: " + e.getMessage());
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

    private void startStep(String studyId, String step, String phase) {
      NodeStudy study = studies.get(studyId);
      if (study == null) {
        abortToCoordinator(studyId, step, config.name() + " is not running study " + studyId);
        return;
      }
      steps.execute(
          () -> {
            try {
              LOG.log(System.Logger.Level.INFO, "study " + studyId + ": phase " + phase);
              StepReport report = study.run(phase);
              send(studyId, step, NodeMessage.newBuilder().setStepReport(report));
            } catch (Exception e) {
              String reason = phase + " failed at " + config.name() + ": " + e.getMessage();
              LOG.log(System.Logger.Level.ERROR, reason, e);
              abortLocally(studyId, reason);
              abortToCoordinator(studyId, step, reason);
            }
          });
    }

    private void closeStudy(String studyId, String state) {
      NodeStudy study = studies.remove(studyId);
      if (study != null) {
        study.transport().close();
      }
      inboxes.remove(studyId);
      LOG.log(System.Logger.Level.INFO, "study " + studyId + " closed: " + state);
    }

    private void abortToCoordinator(String studyId, String step, String reason) {
      send(
          studyId,
          step,
          NodeMessage.newBuilder().setAbort(AbortStudy.newBuilder().setReason(reason)));
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
      studies.keySet().forEach(id -> abortLocally(id, reason));
      scheduleRedial();
    }
  }
}
