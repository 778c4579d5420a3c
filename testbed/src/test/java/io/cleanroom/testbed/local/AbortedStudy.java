package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.coordinator.study.StudyHistory;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.study.StudyState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the fault-injection tests check of a study that a fault aborted: its protocol log verifies
 * and ends ABORTED with nothing reported or released, and the testbed's output folder holds none of
 * the study's outputs.
 *
 * @param verified the log verifier's result
 * @param entries the log's entries
 * @param history what they say
 */
record AbortedStudy(LogVerifier.Result verified, List<LogEntry> entries, StudyHistory history) {

  /** Checks the log in {@code dir} as described above. */
  static AbortedStudy checkLog(Path dir) throws IOException, LogException {
    LogVerifier.Result verified = LogVerifier.verify(dir);
    assertTrue(verified.ok(), verified.summary());
    List<LogEntry> entries = LogEntries.read(dir);
    StudyHistory history = StudyHistory.of(entries, null);
    assertEquals(List.of(), history.problems());
    assertEquals(StudyState.ABORTED, history.state());
    assertFalse(entries.stream().anyMatch(e -> e.kind() == EntryKind.REPORT));
    assertFalse(entries.stream().anyMatch(e -> e.body().contains("\"outputs\"")));
    return new AbortedStudy(verified, entries, history);
  }

  /** The nodes whose destruction receipts the log holds, sorted. */
  List<String> destroyedBy() {
    return history.destroyedBy().stream().sorted().toList();
  }

  /** Asserts that the testbed released none of a study's outputs into {@code out}. */
  static void assertNothingReleased(Path out) {
    for (String output : List.of("risk", "scores", "model", "link", "report")) {
      assertFalse(Files.exists(out.resolve(output)), output + " was released");
    }
  }

  /** The regular files under {@code dir}, relative to it, sorted. */
  static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
