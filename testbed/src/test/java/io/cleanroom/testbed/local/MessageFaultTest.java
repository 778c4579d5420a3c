package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.coordinator.study.StudyHistory;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share-exchange messages from one node to one peer delayed or dropped (the node configuration's
 * testing-only {@code faults} entry), with the parties in separate processes.
 */
class MessageFaultTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  @TempDir Path temp;

  @Test
  @SuppressWarnings("unchecked")
  void delayedChannel_slowsTheStudy_whichStillEndsDestroyedWithCorrectResults() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 600, 5));
    Path out = temp.resolve("out");
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, false)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withFault("bank-a", "bank-b", 200, null, 60),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(
        "DESTROYED",
        summary.get("state"),
        summary.get("abort_reason") + "\n" + console.toString(StandardCharsets.UTF_8));
    assertEquals(
        Map.of("node", "bank-a", "peer", "bank-b", "delay_ms", 200),
        withoutNulls((Map<String, Object>) summary.get("message_fault"), "study_s"));
    assertTrue((Double) ((Map<String, Object>) summary.get("risk")).get("max_abs_error") < 1e-4);
    assertTrue(LogVerifier.verify(out.resolve("log")).ok());
    StudyHistory history = StudyHistory.of(LogEntries.read(out.resolve("log")), null);
    assertEquals(List.of(), history.problems());
    assertEquals(StudyState.DESTROYED, history.state());
  }

  @Test
  @SuppressWarnings("unchecked")
  void droppedChannel_abortsWithinTheTimeout_releasesNothing_andThePlanRunsAgain()
      throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 600, 5));
    Path out = temp.resolve("out");
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    // bank-a sends bank-b about a dozen batches in this study: the first six get through (linking
    // and the start of propagation), the rest are dropped.
    Map<String, Object> aborted =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, false)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withFault("bank-a", "bank-b", 0, 6, 20),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    String abortedStudy = (String) aborted.get("study");
    assertEquals("ABORTED", aborted.get("state"), console.toString(StandardCharsets.UTF_8));
    String reason = (String) aborted.get("abort_reason");
    // bank-b waits for a step's message from bank-a that never comes and names both.
    assertTrue(reason.contains("no message of step") && reason.contains("from bank-a"), reason);
    assertTrue(reason.contains("bank-b"), reason);
    // Each node waits at most 10 s (half the plan's timeout) for a message, so the study aborts
    // well within the plan's 20 s.
    double seconds = (Double) ((Map<String, Object>) aborted.get("message_fault")).get("study_s");
    assertTrue(seconds < 20, "aborted after " + seconds + " s");

    // The log verifies and records the abort, its reason, and every node's destruction.
    AbortedStudy logged = AbortedStudy.checkLog(out.resolve("log"));
    assertEquals(reason, logged.history().abortReason());
    assertEquals(BANKS, logged.destroyedBy());

    // Nothing was released, and no node kept anything of the study.
    AbortedStudy.assertNothingReleased(out);
    for (String bank : BANKS) {
      assertEquals(List.of(), AbortedStudy.files(out.resolve("work").resolve(bank)), bank);
    }

    // The same plan without the fault runs to DESTROYED as a new study.
    Map<String, Object> rerun =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true).withTask(Tasks.LINKED_RISK, Map.of()),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals("DESTROYED", rerun.get("state"), String.valueOf(rerun.get("abort_reason")));
    assertFalse(rerun.get("study").equals(abortedStudy));
    assertFalse(rerun.containsKey("message_fault"));
    assertTrue((Double) ((Map<String, Object>) rerun.get("risk")).get("max_abs_error") < 1e-4);
    assertTrue(LogVerifier.verify(out.resolve("log")).ok());
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }

  @Test
  @SuppressWarnings("unchecked")
  void silentControlChannel_abortsWithinThePlanTimeout_andDelayedOneOnlySlows() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 600, 5));
    Path out = temp.resolve("out");
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    // bank-a's join reaches the coordinator; every control message after it (progress and step
    // reports, its destruction receipt) is dropped, while its connection stays up.
    Map<String, Object> aborted =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, false)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withFault("bank-a", "coordinator", 0, 1, 15),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals("ABORTED", aborted.get("state"), console.toString(StandardCharsets.UTF_8));
    String reason = (String) aborted.get("abort_reason");
    double seconds = (Double) ((Map<String, Object>) aborted.get("message_fault")).get("study_s");
    // The plan's 15 s bound the wait for bank-a's report; the coordinator then waits at most 15 s
    // for the receipts of the nodes still connected.
    assertTrue(seconds < 15 + 15 + 10, "aborted after " + seconds + " s: " + reason);

    AbortedStudy logged = AbortedStudy.checkLog(out.resolve("log"));
    assertEquals(reason, logged.history().abortReason());
    // bank-a destroyed its session store too, but its receipt was one of the dropped messages.
    assertEquals(List.of("bank-b", "bank-c"), logged.destroyedBy());
    for (String bank : BANKS) {
      assertEquals(List.of(), AbortedStudy.files(out.resolve("work").resolve(bank)), bank);
    }

    // A delayed control channel only slows the study (in-process, to keep the test short).
    Map<String, Object> delayed =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withFault("bank-a", "coordinator", 100, null, 120),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals("DESTROYED", delayed.get("state"), String.valueOf(delayed.get("abort_reason")));
    assertTrue((Double) ((Map<String, Object>) delayed.get("risk")).get("max_abs_error") < 1e-4);
    assertTrue(LogVerifier.verify(out.resolve("log")).ok());
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> m, String except) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(m);
    copy.values().removeIf(v -> v == null);
    copy.remove(except);
    return copy;
  }
}
