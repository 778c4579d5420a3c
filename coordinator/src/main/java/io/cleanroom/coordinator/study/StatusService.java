package io.cleanroom.coordinator.study;

import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.status.StudyStatusServiceBase;
import io.cleanroom.protocol.wire.v1.PhaseStatus;
import io.cleanroom.protocol.wire.v1.ProtocolLogStatus;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.time.Instant;
import java.util.List;
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
public final class StatusService extends StudyStatusServiceBase<StudyBoard.StudyView> {

  private final StudyBoard board;

  /**
   * @param party the coordinator's certificate name, returned in every list
   */
  public StatusService(String party, StudyBoard board) {
    super(party);
    this.board = board;
  }

  @Override
  protected List<StudyBoard.StudyView> studies() {
    return board.studies();
  }

  @Override
  protected Optional<StudyBoard.StudyView> study(String studyId) {
    return board.study(studyId);
  }

  @Override
  protected List<String> participants(StudyBoard.StudyView study) {
    return study.participants();
  }

  @Override
  protected boolean ended(StudyBoard.StudyView study) {
    return study.ended();
  }

  @Override
  protected StudyStatusReply toReply(StudyBoard.StudyView study) {
    return reply(study);
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
