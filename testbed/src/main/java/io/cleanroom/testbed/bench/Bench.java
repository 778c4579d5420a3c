package io.cleanroom.testbed.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Runs the benchmarks and prints one line (or one JSON object) per benchmark. */
public final class Bench {

  private static final List<Benchmark> ALL =
      List.of(
          new BeaverMultBench(),
          new HashingBench(),
          new LinkedRiskBench(),
          new TrainingBench(),
          new SoakBench());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Bench() {}

  /** The benchmarks' names, in the order they run. */
  public static List<String> names() {
    return ALL.stream().flatMap(b -> b.names().stream()).toList();
  }

  /**
   * Runs every benchmark, or only {@code only} when not null.
   *
   * @return the process exit code: 0, or 1 if a benchmark failed
   */
  public static int run(BenchOptions options, String only, boolean json, PrintStream out)
      throws Exception {
    if (only != null && !names().contains(only)) {
      throw new IllegalArgumentException(
          "unknown benchmark \"" + only + "\"; known: " + String.join(", ", names()));
    }
    int failures = 0;
    for (Benchmark b : ALL) {
      if (only != null && !b.names().contains(only)) {
        continue;
      }
      try {
        for (Map<String, Object> figures : b.run(options)) {
          if (only == null || only.equals(figures.get("bench"))) {
            out.println(json ? JSON.writeValueAsString(figures) : human(figures));
          }
        }
      } catch (Exception e) {
        failures++;
        out.println(
            json
                ? JSON.writeValueAsString(
                    Map.of("bench", String.join(",", b.names()), "error", String.valueOf(e)))
                : String.join(",", b.names()) + ": FAILED: " + e);
      }
    }
    return failures == 0 ? 0 : 1;
  }

  /** Whether a benchmark study's summary says it ran to its end. */
  static boolean succeeded(Map<String, Object> summary) {
    return "DESTROYED".equals(summary.get("state"));
  }

  /** The phase of a study summary's {@code phases} named {@code name}. */
  static Map<String, Object> phase(List<Map<String, Object>> phases, String name) {
    return phases.stream()
        .filter(p -> name.equals(p.get("name")))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("summary has no phase " + name));
  }

  private static String human(Map<String, Object> figures) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Object> e : figures.entrySet()) {
      if (s.length() > 0) {
        s.append("  ");
      }
      Object v = e.getValue();
      s.append(e.getKey()).append('=');
      s.append(v instanceof Double d ? String.format("%.4g", d) : v);
    }
    return s.toString();
  }
}
