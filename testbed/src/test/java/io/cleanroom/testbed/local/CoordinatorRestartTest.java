package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.coordinator.study.StudyDriver;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's process killed in the middle of a study and started again: the nodes abort the
 * study and destroy their session stores when the control session drops, dial the new coordinator,
 * and run the same plan again to DESTROYED; the restarted coordinator closes the interrupted
 * study's protocol log with a logged abort, and that log still verifies.
 */
class CoordinatorRestartTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  @TempDir Path temp;

  @Test
  @SuppressWarnings("unchecked")
  void killedCoordinator_closesTheInterruptedStudyOnRestart_andThePlanRunsAgain() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 2000, 11));
    Path out = temp.resolve("out");
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, false)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withKill("coordinator", "propagate", 120),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals("DESTROYED", summary.get("state"), printed);
    Map<String, Object> fault = (Map<String, Object>) summary.get("fault");
    String interrupted = (String) fault.get("interrupted_study");
    assertNotNull(interrupted, printed);
    assertFalse(interrupted.equals(summary.get("study")));
    assertTrue((Double) ((Map<String, Object>) summary.get("risk")).get("max_abs_error") < 1e-4);

    // The interrupted study's log, closed by the restarted coordinator.
    Path log = out.resolve("coordinator").resolve(interrupted).resolve(StudyDriver.LOG_DIR);
    AbortedStudy logged = AbortedStudy.checkLog(log);
    String abortReason = logged.history().abortReason();
    assertTrue(abortReason.contains("the coordinator stopped while the study was"), abortReason);
    assertEquals(
        logged.entries().size(),
        logged.verified().entries(),
        "the closing entries are checkpointed");

    // No node kept anything of the interrupted study.
    for (String bank : BANKS) {
      Path work = out.resolve("work").resolve(bank);
      for (String folder : List.of(WorkFolder.OUTPUTS, WorkFolder.SESSIONS, WorkFolder.STAGING)) {
        try (Stream<Path> s = Files.list(work.resolve(folder))) {
          assertFalse(
              s.anyMatch(p -> p.getFileName().toString().equals(interrupted)),
              bank + " kept " + folder + "/" + interrupted);
        }
      }
    }
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }
}
