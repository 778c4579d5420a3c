package io.cleanroom.coordinator.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How the board turns progress messages into per-phase progress. */
class StudyBoardTest {

  private static StudyProgress phase(String phase, double progress) {
    return StudyProgress.newBuilder()
        .setStudyId("st-1")
        .setState("OPEN")
        .setPhase(phase)
        .setProgress(progress)
        .build();
  }

  private static StudyProgress ended(String state) {
    return StudyProgress.newBuilder()
        .setStudyId("st-1")
        .setSummary(StudySummary.newBuilder().setStudyId("st-1").setState(state))
        .build();
  }

  private static List<StudyBoard.PhaseView> phases(StudyBoard board) {
    return board.study("st-1").orElseThrow().phases();
  }

  @Test
  void aPhaseEnds_whenItReportsCompletion_orTheNextStarts_orTheStudyIsDestroyed() {
    StudyBoard board = new StudyBoard();
    Consumer<StudyProgress> track =
        board.track(StudyPlan.newBuilder().setStudyId("st-1").build(), p -> {});
    track.accept(phase("open", 0));
    track.accept(phase("link", 0.4));
    assertEquals(1.0, phases(board).get(0).progress(), "open ended when link started");
    assertNotNull(phases(board).get(0).ended());
    assertEquals(0.4, phases(board).get(1).progress());
    assertNull(phases(board).get(1).ended());
    track.accept(phase("link", 1));
    track.accept(phase("train", 0.7));
    track.accept(ended("DESTROYED"));
    assertEquals(List.of(1.0, 1.0, 1.0), phases(board).stream().map(v -> v.progress()).toList());
  }

  @Test
  void anAbortedStudy_keepsThePartialProgressOfItsLastPhase() {
    StudyBoard board = new StudyBoard();
    Consumer<StudyProgress> track =
        board.track(StudyPlan.newBuilder().setStudyId("st-1").build(), p -> {});
    track.accept(phase("link", 0.3));
    track.accept(ended("ABORTED"));
    assertEquals(0.3, phases(board).get(0).progress());
    assertNull(phases(board).get(0).ended());
    assertEquals("ABORTED", board.study("st-1").orElseThrow().state());
  }
}
