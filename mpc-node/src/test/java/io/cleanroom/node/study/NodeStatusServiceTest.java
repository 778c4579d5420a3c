package io.cleanroom.node.study;

import static io.cleanroom.protocol.testing.StatusClients.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.testing.StatusClients;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.PhaseStatus;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's study registry and status service, served over real mutual TLS with the same client
 * roles as the node's server (node and operator), fed the lifecycle events the coordinator link
 * records.
 */
class NodeStatusServiceTest {

  @TempDir Path temp;
  private final MutableClock clock = new MutableClock();
  private final StudyRegistry registry = new StudyRegistry(clock);
  private Server server;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ConsortiumPki.init(temp.resolve("pki"), List.of("bank-a", "bank-b", "bank-c"), List.of());
    server =
        Grpc.newServerBuilderForPort(
                0,
                MutualTls.serverCredentials(
                    TlsMaterial.loadDir(temp.resolve("pki/bank-a")),
                    EnumSet.of(Role.NODE, Role.OPERATOR)))
            .addService(
                ServerInterceptors.intercept(
                    new NodeStatusService("bank-a", registry), new PeerIdentityInterceptor()))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final java.util.Map<String, StudyStatusGrpc.StudyStatusBlockingStub> stubs =
      new java.util.HashMap<>();

  /** A stub calling as {@code party}, over one channel per party. */
  private StudyStatusGrpc.StudyStatusBlockingStub as(String party) throws Exception {
    StudyStatusGrpc.StudyStatusBlockingStub stub = stubs.get(party);
    if (stub == null) {
      stub =
          stub(
              MutualTls.channelCredentials(
                  TlsMaterial.loadDir(temp.resolve("pki").resolve(party)),
                  new PartyIdentity("bank-a", Role.NODE)));
      stubs.put(party, stub);
    }
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private StudyStatusGrpc.StudyStatusBlockingStub stub(ChannelCredentials credentials) {
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    return StatusClients.stub(port, "bank-a", credentials, channels);
  }

  private static StudyPlan plan(String id, String... participants) {
    return StudyPlan.newBuilder()
        .setStudyId(id)
        .setTask("linked-risk")
        .addAllParticipants(List.of(participants))
        .build();
  }

  @Test
  void lifecycle_fromJoinToClose() throws Exception {
    registry.joined(plan("st-1", "bank-a", "bank-b"));
    StudyStatusReply s = as("operator").get(get("st-1"));
    assertEquals(StudyStatusReply.State.OPEN, s.getState());
    assertEquals("", s.getPhase());
    assertEquals(1_000, s.getStartedAtMillis());

    clock.advance(500);
    registry.stepStarted("st-1", "link");
    clock.advance(500);
    registry.progress("st-1", "link", 0.25);
    s = as("operator").get(get("st-1"));
    assertEquals(StudyStatusReply.State.OPEN, s.getState());
    assertEquals("link", s.getPhase());
    assertEquals(0.25, s.getPhases(0).getProgress());
    assertEquals(1_500, s.getPhases(0).getStartedAtMillis());
    assertEquals(0, s.getPhases(0).getEndedAtMillis());
    assertEquals(2_000, s.getUpdatedAtMillis());

    clock.advance(1_000);
    registry.stepDone("st-1", "link");
    assertEquals(StudyStatusReply.State.LINKED, as("operator").get(get("st-1")).getState());
    registry.stepStarted("st-1", "propagate");
    registry.stepDone("st-1", "propagate");
    assertEquals(StudyStatusReply.State.RISK, as("operator").get(get("st-1")).getState());
    registry.stepStarted("st-1", "release");
    assertEquals(StudyStatusReply.State.REPORTED, as("operator").get(get("st-1")).getState());
    registry.stepDone("st-1", "release");
    registry.stepStarted("st-1", "destroy");
    registry.stepDone("st-1", "destroy");
    assertEquals(
        1,
        as("operator")
            .list(ListStudiesRequest.newBuilder().setRunningOnly(true).build())
            .getStudiesCount());
    clock.advance(1_000);
    registry.closed("st-1", "DESTROYED");

    s = as("operator").get(get("st-1"));
    assertEquals(StudyStatusReply.State.DESTROYED, s.getState());
    assertEquals(4_000, s.getEndedAtMillis());
    assertEquals(
        List.of("link", "propagate", "release", "destroy"),
        s.getPhasesList().stream().map(PhaseStatus::getName).toList());
    for (PhaseStatus p : s.getPhasesList()) {
      assertEquals(1.0, p.getProgress(), p.getName());
    }
    assertEquals(3_000, s.getPhases(0).getEndedAtMillis());
    assertEquals(
        0,
        as("operator")
            .list(ListStudiesRequest.newBuilder().setRunningOnly(true).build())
            .getStudiesCount());
    // Nothing changes an ended study.
    registry.aborted("st-1", "late");
    assertEquals(StudyStatusReply.State.DESTROYED, as("operator").get(get("st-1")).getState());
  }

  @Test
  void abortedStudy_keepsItsReason() throws Exception {
    registry.joined(plan("st-2", "bank-a", "bank-b"));
    registry.stepStarted("st-2", "link");
    registry.aborted("st-2", "coordinator: bank-b left");
    StudyStatusReply s = as("bank-b").get(get("st-2"));
    assertEquals(StudyStatusReply.State.ABORTED, s.getState());
    assertEquals("coordinator: bank-b left", s.getAbortReason());
    assertEquals(0.0, s.getPhases(0).getProgress());
    assertTrue(s.getEndedAtMillis() > 0);
  }

  @Test
  void otherNode_seesOnlySharedStudies() throws Exception {
    registry.joined(plan("st-ab", "bank-a", "bank-b"));
    registry.joined(plan("st-ac", "bank-a", "bank-c"));
    assertEquals(
        List.of("st-ab", "st-ac"),
        as("operator").list(ListStudiesRequest.getDefaultInstance()).getStudiesList().stream()
            .map(StudyStatusReply::getStudyId)
            .toList());
    var list = as("bank-b").list(ListStudiesRequest.getDefaultInstance());
    assertEquals("bank-a", list.getParty());
    assertEquals(
        List.of("st-ab"),
        list.getStudiesList().stream().map(StudyStatusReply::getStudyId).toList());
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> as("bank-b").get(get("st-ac")));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("no study st-ac at bank-a", e.getStatus().getDescription());
  }

  @Test
  void unknownStudy_isNotFound() throws Exception {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> as("operator").get(get("st-nope")));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    // events for unknown studies are ignored
    registry.stepStarted("st-nope", "link");
    registry.closed("st-nope", "DESTROYED");
    assertEquals(0, as("operator").list(ListStudiesRequest.getDefaultInstance()).getStudiesCount());
  }

  @Test
  void coordinatorCertificate_isRefused() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> as("coordinator").list(ListStudiesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void callerWithoutClientCertificate_cannotConnect() throws Exception {
    StatusClients.assertCallerWithoutClientCertificateCannotConnect(
        temp.resolve("pki/ca/ca.crt"), this::stub);
  }

  @Test
  void registry_keepsABoundedNumberOfEndedStudies() {
    for (int i = 0; i < StudyRegistry.KEEP_ENDED + 5; i++) {
      registry.joined(plan("st-" + i, "bank-a", "bank-b"));
      registry.closed("st-" + i, "DESTROYED");
    }
    registry.joined(plan("st-running", "bank-a", "bank-b"));
    List<StudyStatusReply> all = registry.studies();
    assertEquals(StudyRegistry.KEEP_ENDED + 1, all.size());
    assertEquals("st-5", all.get(0).getStudyId());
    assertEquals("st-running", all.get(all.size() - 1).getStudyId());
  }

  /** A clock the test moves by hand, starting at 1 s after the epoch. */
  private static final class MutableClock extends Clock {
    private Instant now = Instant.ofEpochMilli(1_000);

    void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
