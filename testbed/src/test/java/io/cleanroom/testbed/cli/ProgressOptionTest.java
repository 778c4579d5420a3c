package io.cleanroom.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProgressOptionTest {

  @TempDir Path temp;

  @Test
  void anUnknownMode_isRefusedByName_beforeAnythingRuns() {
    CommandLine cli = CleanroomCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute(
            "study",
            "--data",
            temp.resolve("none").toString(),
            "--out",
            temp.resolve("out").toString(),
            "--progress",
            "fancy");
    // A usage error, like any other bad option.
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--progress must be bar, lines or none, not \"fancy\""),
        err.toString());
  }

  @Test
  void theModes_areAccepted() {
    for (String mode : new String[] {"bar", "LINES", "none"}) {
      CleanroomCli.Study study = new CleanroomCli.Study();
      new CommandLine(study).parseArgs("--data", "d", "--out", "o", "--progress", mode);
      assertEquals(mode.toUpperCase(), study.progress.mode().name());
    }
    CleanroomCli.Demo demo = new CleanroomCli.Demo();
    new CommandLine(demo).parseArgs();
    // Tests do not run on a terminal.
    assertEquals("LINES", demo.progress.mode().name());
  }
}
