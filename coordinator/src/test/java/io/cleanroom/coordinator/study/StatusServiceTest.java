package io.cleanroom.coordinator.study;

import static io.cleanroom.protocol.testing.StatusClients.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.Coordinator;
import io.cleanroom.coordinator.TestCoordinators;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.testing.StatusClients;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.PhaseStatus;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's study-status service over real mutual TLS, on a running coordinator whose board
 * is fed the progress messages a study driver reports: one study running, one ended.
 */
class StatusServiceTest {

  private static final String RUNNING = "st-running";
  private static final String ENDED = "st-ended";

  @TempDir Path temp;
  private Coordinator coordinator;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ConsortiumPki.init(temp.resolve("pki"), List.of("bank-a", "bank-b", "bank-c"), List.of());
    coordinator = TestCoordinators.start(temp);
    StudyBoard board = coordinator.board();
    Consumer<StudyProgress> ended = board.track(plan(ENDED, "bank-a", "bank-b"), p -> {});
    ended.accept(progress(ENDED, "OPEN", "link", 0));
    ended.accept(progress(ENDED, "LINKED", "link", 1));
    ended.accept(
        StudyProgress.newBuilder()
            .setStudyId(ENDED)
            .setState("DESTROYED")
            .setSummary(
                StudySummary.newBuilder()
                    .setStudyId(ENDED)
                    .setState("DESTROYED")
                    .setLogEntries(17)
                    .setLogRoot(ByteString.copyFrom(new byte[] {1, 2, 3}))
                    .setLogKeyFingerprint("SHA256:abc"))
            .build());
    Consumer<StudyProgress> running = board.track(plan(RUNNING, "bank-a", "bank-c"), p -> {});
    running.accept(progress(RUNNING, "OPEN", "link", 0));
    running.accept(progress(RUNNING, "LINKED", "link", 1));
    running.accept(progress(RUNNING, "LINKED", "propagate", 0.5));
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    coordinator.stop();
  }

  private static StudyPlan plan(String id, String... participants) {
    return StudyPlan.newBuilder()
        .setStudyId(id)
        .setTask("linked-risk")
        .addAllParticipants(List.of(participants))
        .build();
  }

  private static StudyProgress progress(String id, String state, String phase, double fraction) {
    return StudyProgress.newBuilder()
        .setStudyId(id)
        .setState(state)
        .setPhase(phase)
        .setProgress(fraction)
        .build();
  }

  private StudyStatusGrpc.StudyStatusBlockingStub as(String party) throws Exception {
    return stub(
        MutualTls.channelCredentials(
            TlsMaterial.loadDir(temp.resolve("pki").resolve(party)),
            new PartyIdentity("coordinator", Role.COORDINATOR)));
  }

  private StudyStatusGrpc.StudyStatusBlockingStub stub(ChannelCredentials credentials) {
    return StatusClients.stub(coordinator.port(), "coordinator", credentials, channels);
  }

  private static List<String> ids(ListStudiesResponse list) {
    return list.getStudiesList().stream().map(StudyStatusReply::getStudyId).toList();
  }

  @Test
  void operator_seesEveryStudy_oldestFirst() throws Exception {
    ListStudiesResponse list = as("operator").list(ListStudiesRequest.getDefaultInstance());
    assertEquals("coordinator", list.getParty());
    assertEquals(List.of(ENDED, RUNNING), ids(list));
    assertEquals(
        List.of(RUNNING),
        ids(as("operator").list(ListStudiesRequest.newBuilder().setRunningOnly(true).build())));
  }

  @Test
  void runningStudy_showsStatePhaseAndProgress() throws Exception {
    StudyStatusReply s = as("operator").get(get(RUNNING));
    assertEquals(RUNNING, s.getStudyId());
    assertEquals("linked-risk", s.getTask());
    assertEquals(List.of("bank-a", "bank-c"), s.getParticipantsList());
    assertEquals(StudyStatusReply.State.LINKED, s.getState());
    assertEquals("propagate", s.getPhase());
    assertEquals(
        List.of("link", "propagate"),
        s.getPhasesList().stream().map(PhaseStatus::getName).toList());
    assertEquals(1.0, s.getPhases(0).getProgress());
    assertTrue(s.getPhases(0).getEndedAtMillis() > 0);
    assertEquals(0.5, s.getPhases(1).getProgress());
    assertEquals(0, s.getPhases(1).getEndedAtMillis());
    assertEquals(0, s.getEndedAtMillis());
    assertTrue(s.getStartedAtMillis() > 0 && s.getUpdatedAtMillis() >= s.getStartedAtMillis());
    assertFalse(s.hasLog());
  }

  @Test
  void endedStudy_showsFinalStateAndProtocolLog() throws Exception {
    StudyStatusReply s = as("operator").get(get(ENDED));
    assertEquals(StudyStatusReply.State.DESTROYED, s.getState());
    assertTrue(s.getEndedAtMillis() >= s.getStartedAtMillis());
    assertEquals(17, s.getLog().getEntries());
    assertEquals(ByteString.copyFrom(new byte[] {1, 2, 3}), s.getLog().getRoot());
    assertEquals("SHA256:abc", s.getLog().getKeyFingerprint());
    assertEquals("", s.getAbortReason());
  }

  @Test
  void abortedStudy_showsItsReason() throws Exception {
    Consumer<StudyProgress> aborted =
        coordinator.board().track(plan("st-aborted", "bank-a", "bank-b"), p -> {});
    aborted.accept(progress("st-aborted", "OPEN", "link", 0));
    aborted.accept(
        StudyProgress.newBuilder()
            .setStudyId("st-aborted")
            .setSummary(
                StudySummary.newBuilder()
                    .setState("ABORTED")
                    .setAbortReason("link failed at bank-b: disk full"))
            .build());
    StudyStatusReply s = as("operator").get(get("st-aborted"));
    assertEquals(StudyStatusReply.State.ABORTED, s.getState());
    assertEquals("link failed at bank-b: disk full", s.getAbortReason());
    assertEquals("link", s.getPhase());
  }

  @Test
  void node_seesOnlyItsOwnStudies() throws Exception {
    assertEquals(
        List.of(ENDED, RUNNING), ids(as("bank-a").list(ListStudiesRequest.getDefaultInstance())));
    assertEquals(List.of(ENDED), ids(as("bank-b").list(ListStudiesRequest.getDefaultInstance())));
    assertEquals(RUNNING, as("bank-c").get(get(RUNNING)).getStudyId());
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> as("bank-c").get(get(ENDED)));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    // exactly as for a study that does not exist
    assertEquals("no study " + ENDED + " at coordinator", e.getStatus().getDescription());
  }

  @Test
  void unknownStudy_isNotFound() throws Exception {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> as("operator").get(get("st-nope")));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("no study st-nope at coordinator", e.getStatus().getDescription());
    StatusRuntimeException empty =
        assertThrows(StatusRuntimeException.class, () -> as("operator").get(get("")));
    assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());
  }

  @Test
  void callerWithoutClientCertificate_cannotConnect() throws Exception {
    StatusClients.assertCallerWithoutClientCertificateCannotConnect(
        temp.resolve("pki/ca/ca.crt"), this::stub);
  }

  @Test
  void callerFromAnotherConsortium_cannotConnect() throws Exception {
    Path other = temp.resolve("other");
    ConsortiumPki.init(other, List.of("bank-a", "bank-b"), List.of());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub(MutualTls.channelCredentials(
                        TlsMaterial.loadDir(other.resolve("operator")),
                        new PartyIdentity("coordinator", Role.COORDINATOR)))
                    .list(ListStudiesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }
}
