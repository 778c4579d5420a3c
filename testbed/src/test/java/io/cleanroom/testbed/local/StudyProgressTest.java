package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.protocol.logging.LogContext;
import io.cleanroom.protocol.logging.LogFormat;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole fraud study in one JVM: the long phases report their progress from the nodes through the
 * coordinator to the console, and the log lines of the study carry its id and step.
 */
class StudyProgressTest {

  @TempDir Path temp;

  /** A record, the context of the thread that logged it and its JSON line. */
  private record Logged(String logger, String message, LogContext.Context context, String json) {}

  @Test
  void fraudStudy_showsProgressOfEveryLongPhase_andLogsWithStudyAndStep() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 1500, 7));
    // Held strongly: java.util.logging forgets loggers nobody references, and their handlers.
    Logger project = Logger.getLogger("io.cleanroom");
    List<Logged> logged = new CopyOnWriteArrayList<>();
    Formatter json = LogFormat.formatter(LogFormat.Kind.JSON);
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(
                new Logged(
                    r.getLoggerName(), r.getMessage(), LogContext.current(), json.format(r)));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    project.addHandler(capture);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, Object> summary;
    try {
      summary =
          LocalTestbed.run(
              LocalTestbed.Options.of(data, temp.resolve("out"), true)
                  .withTask(Tasks.FRAUD_STUDY, Map.of("epochs", "4")),
              new PrintStream(bytes, true, StandardCharsets.UTF_8),
              ProgressDisplay.Mode.LINES);
    } finally {
      project.removeHandler(capture);
    }
    String console = bytes.toString(StandardCharsets.UTF_8);
    assertEquals("DESTROYED", summary.get("state"), console);
    String id = (String) summary.get("study");

    // Every long phase showed how far it was before it ended, between its event lines.
    for (String phase : List.of("link", "propagate", "train", "evaluate")) {
      Pattern running = Pattern.compile("(?m)^  " + phase + " [1-9][0-9]?%( \\(.+\\))?$");
      assertTrue(running.matcher(console).find(), phase + " showed no progress:\n" + console);
      assertTrue(
          console.contains("running: phase " + phase + " started")
              || console.contains(": phase " + phase + " started"),
          console);
      assertTrue(console.contains("  " + phase + " 100% in "), console);
    }
    assertTrue(
        Pattern.compile("(?m)^  train [0-9]+% \\((preparing|epoch [1-4]/4|finishing)\\)$")
            .matcher(console)
            .find(),
        console);

    // The nodes' step threads and the coordinator's driver log with the study and the step.
    List<Logged> ofStudy = logged.stream().filter(l -> id.equals(l.context().study())).toList();
    for (String bank : List.of("bank-a", "bank-b", "bank-c")) {
      assertTrue(
          ofStudy.stream()
              .anyMatch(
                  l ->
                      l.context().party().equals(bank)
                          && l.context().step().equals("phase/train")
                          && l.message().endsWith(": train")),
          bank + " logged no train step with its context: " + logged);
    }
    assertTrue(
        ofStudy.stream()
            .anyMatch(
                l ->
                    l.context().party().equals("coordinator")
                        && l.context().step().equals("control/open")),
        logged.toString());
    // What the driver and the nodes' control sessions log about the study names it.
    for (Logged l : logged) {
      if (l.message() != null
          && l.message().contains(id)
          && (l.logger().endsWith("StudyDriver") || l.logger().endsWith("CoordinatorLink"))) {
        assertEquals(id, l.context().study(), l.toString());
        assertTrue(
            !l.context().step().isEmpty() || l.message().endsWith(" destroyed"), l.toString());
      }
    }
    // The same records as JSON lines.
    ObjectMapper mapper = new ObjectMapper();
    JsonNode train = null;
    for (Logged l : ofStudy) {
      JsonNode j = mapper.readTree(l.json());
      assertEquals(id, j.get("study").asText());
      if ("phase/train".equals(j.get("step").asText())
          && "bank-b".equals(j.get("party").asText())) {
        train = j;
      }
    }
    assertTrue(train != null, "no JSON line of bank-b's train step");
  }
}
