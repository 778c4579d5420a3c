package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node process killed in the middle of a study, and the same plan run again. */
class NodeFailureTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  @TempDir Path temp;

  @Test
  @SuppressWarnings("unchecked")
  void killedNode_abortsTheStudyEverywhere_releasesNothing_andThePlanRunsAgain() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 3000, 9));
    Path out = temp.resolve("out");
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    Map<String, Object> aborted =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, false)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withKill("bank-b", "propagate", 60),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    String abortedStudy = (String) aborted.get("study");
    assertEquals("ABORTED", aborted.get("state"), console.toString(StandardCharsets.UTF_8));
    String reason = (String) aborted.get("abort_reason");
    assertTrue(reason.contains("bank-b"), reason);
    double after = (Double) ((Map<String, Object>) aborted.get("fault")).get("summary_after_s");
    // The survivors abort as soon as the coordinator sees the session end; the plan's timeout
    // (60 s) bounds the case of a node that hangs instead.
    assertTrue(after < 20, "summary " + after + " s after the kill");

    // The log verifies and records the abort, its reason, and the survivors' destruction.
    AbortedStudy logged = AbortedStudy.checkLog(out.resolve("log"));
    assertEquals(reason, logged.history().abortReason());
    assertEquals(List.of("bank-a", "bank-c"), logged.destroyedBy());

    // Nothing was released, and the survivors kept nothing of the study.
    AbortedStudy.assertNothingReleased(out);
    for (String bank : BANKS) {
      Path work = out.resolve("work").resolve(bank);
      assertEquals(List.of(), AbortedStudy.files(work.resolve(WorkFolder.OUTPUTS)), bank);
      assertEquals(List.of(), AbortedStudy.files(work.resolve(WorkFolder.STAGING)), bank);
      if (!bank.equals("bank-b")) {
        assertEquals(List.of(), AbortedStudy.files(work.resolve(WorkFolder.SESSIONS)), bank);
      }
    }
    // The killed node left its session folder: ciphertext whose key died with the process.
    assertTrue(Files.isDirectory(out.resolve("work/bank-b/sessions").resolve(abortedStudy)));

    // The same plan runs again (as a new study, its parties in this JVM to keep the test short)
    // and ends destroyed; the restarted bank-b removed what its killed process left.
    Map<String, Object> rerun =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true).withTask(Tasks.LINKED_RISK, Map.of()),
            new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals("DESTROYED", rerun.get("state"), String.valueOf(rerun.get("abort_reason")));
    String study = (String) rerun.get("study");
    assertFalse(study.equals(abortedStudy));
    assertTrue((Double) ((Map<String, Object>) rerun.get("risk")).get("max_abs_error") < 1e-4);
    for (String bank : BANKS) {
      Path work = out.resolve("work").resolve(bank);
      assertEquals(
          List.of(Path.of(WorkFolder.OUTPUTS, study, "risk", bank + ".csv")),
          AbortedStudy.files(work),
          bank + " keeps more than its released output");
    }
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }
}
