package io.cleanroom.testbed.bench;

import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@value #STUDIES} fraud studies back to back on the same long-lived coordinator and node
 * processes ({@link LocalTestbed#soak}), on {@value #ACCOUNTS} generated accounts: every study must
 * end DESTROYED; the figures are each study's wall time and every party's resident memory, threads,
 * file descriptors and sockets after the first and after the last study, so that a leak shows as
 * growth. There is no plaintext counterpart: the ratio is last study's time over the first's.
 */
final class SoakBench implements Benchmark {

  static final int STUDIES = 20;
  static final int ACCOUNTS = 3000;

  @Override
  public List<String> names() {
    return List.of("soak");
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> run(BenchOptions o) throws Exception {
    Path dir = Files.createTempDirectory("cleanroom-bench-soak-");
    Map<String, Object> summary;
    try {
      Generator.generate(dir.resolve("data"), GeneratorOptions.of(o.banks(), ACCOUNTS, 1));
      summary =
          LocalTestbed.soak(
              LocalTestbed.Options.of(dir.resolve("data"), dir.resolve("out"), false)
                  .withTask(Tasks.FRAUD_STUDY, Map.of()),
              new PrintStream(OutputStream.nullOutputStream()),
              STUDIES);
    } finally {
      LocalTestbed.deleteTree(dir);
    }
    Map<String, Object> soak = (Map<String, Object>) summary.get("soak");
    List<Map<String, Object>> runs = (List<Map<String, Object>>) soak.get("studies");
    long destroyed = runs.stream().filter(r -> "DESTROYED".equals(r.get("state"))).count();
    if (destroyed != STUDIES) {
      throw new IllegalStateException(
          "soak: "
              + destroyed
              + " of "
              + STUDIES
              + " studies ended DESTROYED; the last: "
              + runs.get(runs.size() - 1)
              + " "
              + summary.get("abort_reason"));
    }
    double first = (Double) runs.get(0).get("wall_s");
    double last = (Double) runs.get(runs.size() - 1).get("wall_s");
    double total = runs.stream().mapToDouble(r -> (Double) r.get("wall_s")).sum();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "soak");
    m.put("parties", o.banks());
    m.put("accounts", ACCOUNTS);
    m.put("studies", STUDIES);
    m.put("mode", "multi-process");
    m.put("secure_s", total);
    m.put("first_study_s", first);
    m.put("last_study_s", last);
    m.put("ratio", last / first);
    m.put("after_first", soak.get("after_first"));
    m.put("after_last", soak.get("after_last"));
    return List.of(m);
  }
}
