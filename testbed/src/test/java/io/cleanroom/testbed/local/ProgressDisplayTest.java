package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

  private static final StudyPlan PLAN =
      StudyPlan.newBuilder().putParameters("epochs", "10").build();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private long now;

  private static StudyProgress event(String phase, double progress, String message) {
    return StudyProgress.newBuilder()
        .setStudyId("st-1")
        .setState("TRAINED")
        .setPhase(phase)
        .setProgress(progress)
        .setMessage(message)
        .build();
  }

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  /** A start, progress every half second for 10 s, the end. */
  private void trainPhase(ProgressDisplay d) {
    d.show(PLAN, event("train", 0, "phase train started"));
    for (int i = 1; i <= 20; i++) {
      now += 500_000_000L;
      d.show(PLAN, event("train", Math.min(0.99, 0.05 * i), "phase train"));
    }
    now += 500_000_000L;
    d.show(PLAN, event("train", 1, "phase train done"));
  }

  @Test
  void lines_keepTheEventLines_andPrintProgressAtMostEveryFewSeconds() {
    ProgressDisplay d = ProgressDisplay.lines(console, Duration.ofSeconds(3), () -> now);
    trainPhase(d);
    List<String> lines = lines();
    assertEquals("study st-1 trained: phase train started", lines.get(0));
    assertEquals("study st-1 trained: phase train done", lines.get(lines.size() - 1));
    assertEquals("  train 100% in 10.5 s", lines.get(lines.size() - 2));
    List<String> progress =
        lines.subList(1, lines.size() - 2).stream().filter(l -> l.startsWith("  ")).toList();
    assertEquals(lines.size() - 3, progress.size(), lines.toString());
    // The first report at once, then one every 3 s of the 10 s: at 0.5, 3.5, 6.5 and 9.5 s.
    assertEquals(
        List.of(
            "  train 5% (preparing)",
            "  train 35% (epoch 3/10)", "  train 65% (epoch 7/10)", "  train 95% (finishing)"),
        progress);
  }

  @Test
  void none_printsOnlyTheEvents() {
    ProgressDisplay d = ProgressDisplay.of(ProgressDisplay.Mode.NONE, console);
    trainPhase(d);
    assertEquals(
        List.of("study st-1 trained: phase train started", "study st-1 trained: phase train done"),
        lines());
  }

  @Test
  void bars_drawABarPerPhase_betweenTheEventLines() throws Exception {
    try (ProgressDisplay d = ProgressDisplay.of(ProgressDisplay.Mode.BAR, console)) {
      trainPhase(d);
      d.show(PLAN, event("evaluate", 0, "phase evaluate started"));
      d.show(PLAN, event("evaluate", 0.4, "phase evaluate"));
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    int started = out.indexOf("phase train started");
    int bar = out.indexOf("train 100%", started);
    int done = out.indexOf("phase train done");
    assertTrue(started >= 0 && bar > started && done > bar, out);
    assertTrue(out.contains("evaluate"), out);
    assertTrue(out.contains("\r"), "a bar redraws its line: " + out);
    assertFalse(out.contains("evaluate 100%"), "an unfinished phase's bar is not completed");
  }

  @Test
  void running_isAPhaseStrictlyBetweenStartAndEnd() {
    assertTrue(ProgressDisplay.running(event("train", 0.5, "")));
    assertFalse(ProgressDisplay.running(event("train", 0, "")));
    assertFalse(ProgressDisplay.running(event("train", 1, "")));
    assertFalse(ProgressDisplay.running(event("", 0.5, "")));
  }
}
