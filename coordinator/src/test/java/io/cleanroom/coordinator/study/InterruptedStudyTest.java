package io.cleanroom.coordinator.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that stopped in the middle of a study (killed, crashed) closes that study's
 * protocol log when it starts again: the log then ends in a logged abort and ABORTED, under a new
 * checkpoint, and still verifies.
 */
class InterruptedStudyTest {

  private static final LogSigningKey KEY = LogSigningKey.generate(new SecureRandom());

  @TempDir Path records;

  private StudyLog startStudy(String id, StudyState... states) throws Exception {
    StudyPlan plan =
        StudyPlan.newBuilder()
            .setStudyId(id)
            .setTask(Tasks.LINKED_RISK)
            .addParticipants("bank-a")
            .addParticipants("bank-b")
            .setTimeoutSeconds(60)
            .setFractionBits(20)
            .build();
    StudyLog log =
        StudyLog.create(
            records.resolve(id).resolve(StudyDriver.LOG_DIR),
            plan,
            PlanDigest.canonicalBytes(plan),
            PlanDigest.of(plan),
            KEY);
    for (StudyState s : states) {
      log.moveTo(s);
    }
    log.checkpoint();
    return log;
  }

  private StudyDriver driver() {
    return new StudyDriver(null, null, null, Duration.ofSeconds(1), records, KEY, null, null);
  }

  private static List<LogEntry> entries(Path records, String id) throws Exception {
    return LogEntries.read(records.resolve(id).resolve(StudyDriver.LOG_DIR));
  }

  @Test
  void aStudyLeftRunning_isAbortedAndItsLogStillVerifies() throws Exception {
    // The coordinator "dies" with the study LINKED: the log is closed as a crash would leave it.
    startStudy("st-running", StudyState.LINKED).close();
    int before = entries(records, "st-running").size();

    assertEquals(List.of("st-running"), driver().closeInterrupted());

    List<LogEntry> after = entries(records, "st-running");
    assertEquals(before + 2, after.size());
    assertEquals(EntryKind.ABORT, after.get(before).kind());
    assertTrue(
        after.get(before).body().contains("the coordinator stopped while the study was LINKED"),
        after.get(before).body());
    StudyHistory history = StudyHistory.of(after, null);
    assertTrue(history.problems().isEmpty(), history.problems().toString());
    assertEquals(StudyState.ABORTED, history.state());
    LogVerifier.Result verified =
        LogVerifier.verify(records.resolve("st-running").resolve(StudyDriver.LOG_DIR));
    assertTrue(verified.ok(), verified.summary());
    assertEquals(after.size(), verified.entries(), "the new entries are under a checkpoint");

    // Starting again finds nothing more to close.
    assertEquals(List.of(), driver().closeInterrupted());
  }

  @Test
  void endedStudiesAndOtherFolders_areLeftAlone() throws Exception {
    try (StudyLog log = startStudy("st-ended")) {
      log.aborted("a node left");
      log.checkpoint();
    }
    byte[] ended = Files.readAllBytes(records.resolve("st-ended/log").resolve("entries.bin"));
    Files.createDirectories(records.resolve("not-a-study"));
    Files.writeString(records.resolve("log-signing-key.pem"), "not a folder");

    assertEquals(List.of(), driver().closeInterrupted());
    assertTrue(
        java.util.Arrays.equals(
            ended, Files.readAllBytes(records.resolve("st-ended/log").resolve("entries.bin"))));
    assertNull(
        StudyHistory.of(entries(records, "st-ended"), null).problems().stream()
            .findFirst()
            .orElse(null));
  }
}
