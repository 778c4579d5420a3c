package io.cleanroom.testbed.bench;

import io.cleanroom.node.risk.RiskParameters;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import io.cleanroom.testbed.reference.RiskReference;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole linked-risk study on a generated graph of {@code accounts} accounts over {@code banks}
 * banks, coordinator and nodes as separate processes: the link phase ({@code linkage}) and the
 * propagation phase ({@code propagation}), each against the plaintext computation of the same step
 * on the pooled files in this process, and the study's largest error against it.
 */
final class LinkedRiskBench implements Benchmark {

  @Override
  public List<String> names() {
    return List.of("linkage", "propagation");
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> run(BenchOptions o) throws Exception {
    Path dir = Files.createTempDirectory("cleanroom-bench-risk-");
    try {
      Path data = dir.resolve("data");
      long g0 = System.nanoTime();
      Generator.generate(data, GeneratorOptions.of(o.banks(), o.accounts(), 1));
      double generate = (System.nanoTime() - g0) / 1e9;
      Map<String, Object> summary =
          LocalTestbed.run(
              LocalTestbed.Options.of(data, dir.resolve("out"), false)
                  .withTask(Tasks.LINKED_RISK, Map.of())
                  .withHeap("3g"),
              new PrintStream(OutputStream.nullOutputStream()));
      if (!Bench.succeeded(summary)) {
        throw new IllegalStateException("benchmark study aborted: " + summary.get("abort_reason"));
      }
      Map<String, Object> risk = (Map<String, Object>) summary.get("risk");
      List<String> banks = (List<String>) summary.get("banks");
      RiskReference.Timed plain =
          RiskReference.load(data, banks).federatedTimed(RiskParameters.of(Map.of()));
      List<Map<String, Object>> phases = (List<Map<String, Object>>) summary.get("phases");
      Map<String, Object> link = Bench.phase(phases, "link");
      Map<String, Object> propagate = Bench.phase(phases, "propagate");
      return List.of(
          figures("linkage", o, link, plain.linkSeconds(), generate, risk),
          figures("propagation", o, propagate, plain.propagateSeconds(), generate, risk));
    } finally {
      LocalTestbed.deleteTree(dir);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> figures(
      String name,
      BenchOptions o,
      Map<String, Object> phase,
      double plaintext,
      double generate,
      Map<String, Object> risk) {
    double secure = (Double) phase.get("wall_s");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", name);
    m.put("parties", o.banks());
    m.put("accounts", o.accounts());
    m.put("mode", "multi-process");
    m.put("secure_s", secure);
    m.put("plaintext_s", plaintext);
    m.put("ratio", secure / Math.max(plaintext, 1e-9));
    m.put("bytes_sent", phase.get("bytes_sent"));
    m.put("peak_heap_mb", phase.get("peak_heap_mb"));
    if (phase.containsKey("counts")) {
      m.put("counts", phase.get("counts"));
    }
    m.put("max_abs_error", risk.get("max_abs_error"));
    m.put("generate_s", generate);
    return m;
  }
}
