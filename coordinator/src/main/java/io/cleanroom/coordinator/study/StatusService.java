package io.cleanroom.coordinator.study;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.PhaseStatus;
import io.cleanroom.protocol.wire.v1.ProtocolLogStatus;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Optional;

/**
 * The coordinator's {@code cleanroom.v1.StudyStatus} service: the studies on its {@link
 * StudyBoard}, for monitoring by operators and nodes.
 *
 * <p>Must be installed behind {@link PeerIdentityInterceptor}. A caller with the operator role sees
 * every study; a caller with the node role sees only the studies it is a participant of, and the
 * others are {@code NOT_FOUND} to it just as unknown ones are, so that a node does not even learn
 * that studies without it exist. What a caller learns is what each participant already receives
 * (see status.proto): lifecycle state, phase names, progress and times, participants, the abort
 * reason and the protocol log's size, root and key fingerprint; never data, shares or totals.
 */
public final class StatusService extends StudyStatusGrpc.StudyStatusImplBase {

  private final String party;
  private final StudyBoard board;

  /**
   * @param party the coordinator's certificate name, returned in every list
   */
  public StatusService(String party, StudyBoard board) {
    this.party = party;
    this.board = board;
  }

  @Override
  public void list(ListStudiesRequest request, StreamObserver<ListStudiesResponse> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    ListStudiesResponse.Builder out = ListStudiesResponse.newBuilder().setParty(party);
    for (StudyBoard.StudyView study : board.studies()) {
      if (visible(caller, study) && !(request.getRunningOnly() && study.ended())) {
        out.addStudies(reply(study));
      }
    }
    responses.onNext(out.build());
    responses.onCompleted();
  }

  @Override
  public void get(GetStudyRequest request, StreamObserver<StudyStatusReply> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    if (request.getStudyId().isEmpty()) {
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription("the request names no study").asException());
      return;
    }
    Optional<StudyBoard.StudyView> study =
        board.study(request.getStudyId()).filter(s -> visible(caller, s));
    if (study.isEmpty()) {
      responses.onError(
          Status.NOT_FOUND
              .withDescription("no study " + request.getStudyId() + " at " + party)
              .asException());
      return;
    }
    responses.onNext(reply(study.get()));
    responses.onCompleted();
  }

  /** Operators see every study, nodes only those they take part in; no other role gets here. */
  private static boolean visible(PartyIdentity caller, StudyBoard.StudyView study) {
    return switch (caller.role()) {
      case OPERATOR -> true;
      case NODE -> study.participants().contains(caller.name());
      case COORDINATOR -> false;
    };
  }

  /** The wire form of a board snapshot. */
  static StudyStatusReply reply(StudyBoard.StudyView study) {
    StudyStatusReply.Builder r =
        StudyStatusReply.newBuilder()
            .setStudyId(study.id())
            .setTask(study.task())
            .addAllParticipants(study.participants())
            .setState(state(study.state()))
            .setPhase(study.phase())
            .setStartedAtMillis(millis(study.started()))
            .setUpdatedAtMillis(millis(study.updated()));
    for (StudyBoard.PhaseView phase : study.phases()) {
      r.addPhases(
          PhaseStatus.newBuilder()
              .setName(phase.name())
              .setProgress(phase.progress())
              .setStartedAtMillis(millis(phase.started()))
              .setEndedAtMillis(millis(phase.ended())));
    }
    if (study.summary().isPresent()) {
      StudySummary summary = study.summary().get();
      r.setEndedAtMillis(millis(study.updated())).setAbortReason(summary.getAbortReason());
      if (summary.getLogEntries() > 0) {
        r.setLog(
            ProtocolLogStatus.newBuilder()
                .setEntries(summary.getLogEntries())
                .setRoot(summary.getLogRoot())
                .setKeyFingerprint(summary.getLogKeyFingerprint()));
      }
    }
    return r.build();
  }

  /** The wire state for a board state name; UNSPECIFIED before the first report. */
  static StudyStatusReply.State state(String name) {
    if (name == null || name.isEmpty()) {
      return StudyStatusReply.State.STATE_UNSPECIFIED;
    }
    try {
      StudyStatusReply.State s = StudyStatusReply.State.valueOf(name);
      return s == StudyStatusReply.State.UNRECOGNIZED
          ? StudyStatusReply.State.STATE_UNSPECIFIED
          : s;
    } catch (IllegalArgumentException e) {
      return StudyStatusReply.State.STATE_UNSPECIFIED;
    }
  }

  private static long millis(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }
}
