package io.cleanroom.coordinator.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cleanroom.coordinator.FuzzFrames;
import io.cleanroom.coordinator.RecordingObserver;
import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's operator and status handlers under arbitrary requests from participants, an
 * outsider bank and the operator.
 *
 * <p>{@link OperatorService#runStudy}: only the operator may run a study; any plan is either
 * refused with INVALID_ARGUMENT naming what is wrong, or accepted and handed to the study thread
 * pool (which this test only records: no study runs). {@link StatusService}: every call ends with a
 * reply or NOT_FOUND / INVALID_ARGUMENT, and a node never sees a study it is not a participant of.
 *
 * <p>The input is a sequence of frames (one byte naming the caller, one byte naming the call: run a
 * study, get a study, list studies; then the length-delimited request).
 */
class OperatorAndStatusFuzzTest {

  private static final Set<Status.Code> STATUS_REFUSALS =
      Set.of(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT);

  /** An executor that keeps what it is given instead of running it. */
  private static final class Recording extends AbstractExecutorService {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /** A board with a study of bank-a and bank-b that ended, and one of bank-b alone running. */
  private static StudyBoard board() {
    StudyBoard board = new StudyBoard();
    StudyPlan ab =
        StudyPlan.newBuilder()
            .setStudyId("st-ab")
            .setTask("linked-risk")
            .addParticipants("bank-a")
            .addParticipants("bank-b")
            .build();
    var ended = board.track(ab, p -> {});
    ended.accept(progress("st-ab", "RISK", "propagate", 0.5, null));
    ended.accept(
        progress(
            "st-ab",
            "DESTROYED",
            "destroy",
            1,
            StudySummary.newBuilder().setStudyId("st-ab").setState("DESTROYED").build()));
    StudyPlan bc =
        StudyPlan.newBuilder()
            .setStudyId("st-bc")
            .setTask("fraud-study")
            .addParticipants("bank-b")
            .addParticipants("bank-c")
            .build();
    board.track(bc, p -> {}).accept(progress("st-bc", "OPEN", "open", 0, null));
    return board;
  }

  private static StudyProgress progress(
      String id, String state, String phase, double fraction, StudySummary summary) {
    StudyProgress.Builder p =
        StudyProgress.newBuilder()
            .setStudyId(id)
            .setState(state)
            .setPhase(phase)
            .setProgress(fraction);
    if (summary != null) {
      p.setSummary(summary);
    }
    return p.build();
  }

  @FuzzTest(maxDuration = "60s")
  void requests(byte[] input) throws IOException, GeneralSecurityException {
    run(input);
  }

  /** Runs the frames of {@code input}; returns how many plans were accepted. */
  private static int run(byte[] input) throws IOException, GeneralSecurityException {
    Recording studies = new Recording();
    OperatorService operator =
        new OperatorService(
            new StudyDriver(null, null, null, null, null, null, null, null),
            studies,
            new StudyBoard());
    StatusService status = new StatusService("coordinator", board());
    FuzzFrames frames = new FuzzFrames(input);
    for (FuzzFrames.Action a; (a = frames.action()) != null; ) {
      String caller = a.caller();
      switch (a.code() % 3) {
        case 0 -> {
          StudyPlan plan = frames.message(StudyPlan.parser());
          if (plan == null) {
            return studies.tasks.size();
          }
          RecordingObserver<StudyProgress> responses = new RecordingObserver<>();
          int before = studies.tasks.size();
          FuzzFrames.parties()
              .run(
                  caller,
                  OperatorGrpc.getRunStudyMethod(),
                  () -> operator.runStudy(plan, responses));
          if (!caller.equals("operator")) {
            assertEquals(Status.Code.PERMISSION_DENIED, responses.error().getCode());
            assertEquals(before, studies.tasks.size());
          } else if (responses.error() != null) {
            assertEquals(Status.Code.INVALID_ARGUMENT, responses.error().getCode());
            assertFalse(responses.error().getDescription().isBlank());
            assertEquals(before, studies.tasks.size());
          } else {
            assertEquals(before + 1, studies.tasks.size(), "an accepted plan must be run");
            StudyPlan completed = StudyDriver.complete(plan);
            assertTrue(completed.getStudyId().matches("[a-z0-9][a-z0-9-]{0,63}"));
            assertTrue(completed.getParticipantsCount() >= 2);
          }
        }
        case 1 -> {
          GetStudyRequest request = frames.message(GetStudyRequest.parser());
          if (request == null) {
            return studies.tasks.size();
          }
          RecordingObserver<StudyStatusReply> responses = new RecordingObserver<>();
          FuzzFrames.parties()
              .run(caller, StudyStatusGrpc.getGetMethod(), () -> status.get(request, responses));
          assertTrue(responses.ended());
          if (responses.error() != null) {
            assertTrue(
                STATUS_REFUSALS.contains(responses.error().getCode()),
                responses.error().toString());
          } else {
            checkVisible(caller, responses.messages().get(0));
          }
        }
        default -> {
          ListStudiesRequest request = frames.message(ListStudiesRequest.parser());
          if (request == null) {
            return studies.tasks.size();
          }
          RecordingObserver<ListStudiesResponse> responses = new RecordingObserver<>();
          FuzzFrames.parties()
              .run(caller, StudyStatusGrpc.getListMethod(), () -> status.list(request, responses));
          assertTrue(responses.completed(), String.valueOf(responses.error()));
          for (StudyStatusReply r : responses.messages().get(0).getStudiesList()) {
            checkVisible(caller, r);
          }
        }
      }
    }
    return studies.tasks.size();
  }

  private static void checkVisible(String caller, StudyStatusReply reply) {
    if (!caller.equals("operator")) {
      assertTrue(
          reply.getParticipantsList().contains(caller),
          caller + " saw " + reply.getStudyId() + " of " + reply.getParticipantsList());
    }
  }

  private static void frame(ByteArrayOutputStream out, int caller, int call, StudyPlan plan)
      throws IOException {
    out.write(caller);
    out.write(call);
    plan.writeDelimitedTo(out);
  }

  /**
   * A valid plan from the operator is accepted; from a bank, or with one participant, it is not.
   */
  @Test
  void plansAndStatus_fromEachCaller() throws Exception {
    StudyPlan valid =
        StudyPlan.newBuilder()
            .addParticipants("bank-a")
            .addParticipants("bank-b")
            .setTask("linked-risk")
            .build();
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frame(frames, 3, 0, valid); // the operator: accepted
    frame(frames, 0, 0, valid); // bank-a: not an operator
    frame(
        frames,
        3,
        0,
        valid.toBuilder().clearParticipants().addParticipants("bank-a").build()); // one participant
    frame(frames, 3, 0, valid.toBuilder().setStudyId("Not Valid").build());
    // bank-c asks for a study without it, then lists: it sees st-bc only.
    frames.write(2);
    frames.write(1);
    GetStudyRequest.newBuilder().setStudyId("st-ab").build().writeDelimitedTo(frames);
    frames.write(2);
    frames.write(2);
    ListStudiesRequest.getDefaultInstance().writeDelimitedTo(frames);
    assertEquals(1, run(frames.toByteArray()));
  }
}
