package io.cleanroom.protocol.study;

import static io.cleanroom.protocol.study.StudyState.ABORTED;
import static io.cleanroom.protocol.study.StudyState.DESTROYED;
import static io.cleanroom.protocol.study.StudyState.LINKED;
import static io.cleanroom.protocol.study.StudyState.OPEN;
import static io.cleanroom.protocol.study.StudyState.REPORTED;
import static io.cleanroom.protocol.study.StudyState.RISK;
import static io.cleanroom.protocol.study.StudyState.TRAINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StudyStateTest {

  @Test
  void path_holdsTheStatesTheTasksPhasesReach() {
    assertEquals(
        List.of(OPEN, LINKED, RISK, TRAINED, REPORTED, DESTROYED),
        StudyState.path(Tasks.FRAUD_STUDY));
    assertEquals(
        List.of(OPEN, LINKED, RISK, REPORTED, DESTROYED), StudyState.path(Tasks.LINKED_RISK));
    assertEquals(List.of(OPEN, REPORTED, DESTROYED), StudyState.path(Tasks.AGGREGATE_COUNTS));
    assertEquals(List.of(OPEN, REPORTED, DESTROYED), StudyState.path(Tasks.BEAVER_BENCHMARK));
    assertThrows(IllegalArgumentException.class, () -> StudyState.path("no-such-task"));
  }

  @Test
  void canMoveTo_followsThePath_orAborts_andNothingFollowsAFinalState() {
    assertTrue(OPEN.canMoveTo(LINKED, Tasks.LINKED_RISK));
    assertTrue(RISK.canMoveTo(REPORTED, Tasks.LINKED_RISK));
    assertFalse(RISK.canMoveTo(REPORTED, Tasks.FRAUD_STUDY), "training comes first");
    assertFalse(OPEN.canMoveTo(RISK, Tasks.LINKED_RISK), "a state skipped");
    assertFalse(LINKED.canMoveTo(OPEN, Tasks.LINKED_RISK), "backwards");
    assertFalse(OPEN.canMoveTo(LINKED, Tasks.AGGREGATE_COUNTS), "not a state of the task");
    for (StudyState s : List.of(OPEN, LINKED, RISK, TRAINED, REPORTED)) {
      assertTrue(s.canMoveTo(ABORTED, Tasks.FRAUD_STUDY), s.name());
      assertFalse(s.isFinal());
    }
    for (StudyState s : List.of(DESTROYED, ABORTED)) {
      assertTrue(s.isFinal());
      assertFalse(s.canMoveTo(ABORTED, Tasks.FRAUD_STUDY), s.name());
    }
  }
}
