package io.cleanroom.protocol.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

  private long now;

  @Test
  void passesAtMostOnePerInterval_andOnlyAfterTheMinimumStep() {
    ProgressThrottle t = new ProgressThrottle(500_000_000L, 0.01, () -> now);
    assertTrue(t.pass(0.02));
    now += 100_000_000L;
    assertFalse(t.pass(0.5), "too soon");
    now += 500_000_000L;
    assertFalse(t.pass(0.025), "less than 1% more");
    assertTrue(t.pass(0.5));
    now += 10_000_000_000L;
    assertFalse(t.pass(0.4), "backwards");
    assertFalse(t.pass(Double.NaN));
    assertFalse(t.pass(1.5));
    assertFalse(t.pass(Double.POSITIVE_INFINITY));
    assertTrue(t.pass(1.0));
    assertEquals(1.0, t.last());
  }

  @Test
  void aTightLoop_reportsAFewTimes_notThousands() {
    ProgressThrottle t = new ProgressThrottle(500_000_000L, 0.01, () -> now);
    int passed = 0;
    for (int i = 1; i <= 100_000; i++) {
      now += 30_000L; // 100 000 steps over 3 s
      if (t.pass(i / 100_000.0)) {
        passed++;
      }
    }
    assertTrue(passed >= 5 && passed <= 7, passed + " passed");
  }

  @Test
  void part_mapsOntoItsRange() {
    List<Double> seen = new ArrayList<>();
    Progress p = seen::add;
    p.part(0.2, 0.6).report(0.5);
    p.part(0.2, 0.6).report(3, 4);
    p.part(0.2, 0.6).report(2.0);
    p.report(1, 0);
    assertEquals(
        List.of(0.4, 0.5, 0.6), seen.stream().map(d -> Math.round(d * 1e9) / 1e9).toList());
  }

  @Test
  void percent_roundsDown_withoutFloatingPointSurprises() {
    assertEquals(29, PhaseProgress.percent(0.29));
    assertEquals(28, PhaseProgress.percent(0.289));
    assertEquals(99, PhaseProgress.percent(0.999));
    assertEquals(100, PhaseProgress.percent(1));
    assertEquals(0, PhaseProgress.percent(Double.NaN));
    assertEquals(0, PhaseProgress.percent(-0.5));
    assertEquals(100, PhaseProgress.percent(7));
  }

  @Test
  void describe_namesTheEpochOrIteration() {
    double from = PhaseProgress.TRAIN_STEPS_FROM;
    double span = PhaseProgress.TRAIN_STEPS_TO - from;
    Map<String, String> plan = Map.of("epochs", "10", "iterations", "4");
    assertEquals("preparing", PhaseProgress.describe("train", 0.1, plan));
    assertEquals("epoch 1/10", PhaseProgress.describe("train", from, plan));
    assertEquals("epoch 4/10", PhaseProgress.describe("train", from + 0.35 * span, plan));
    assertEquals("epoch 10/10", PhaseProgress.describe("train", from + 0.999 * span, plan));
    assertEquals("finishing", PhaseProgress.describe("train", 0.97, plan));
    assertEquals(
        "epoch 2/3", PhaseProgress.describe("train", from + 0.5 * span, Map.of("epochs", "3")));
    double pf = PhaseProgress.PROPAGATE_ITERATIONS_FROM;
    double ps = PhaseProgress.PROPAGATE_ITERATIONS_TO - pf;
    assertEquals("iteration 2/4", PhaseProgress.describe("propagate", pf + 0.3 * ps, plan));
    assertEquals("", PhaseProgress.describe("link", 0.5, plan));
  }
}
