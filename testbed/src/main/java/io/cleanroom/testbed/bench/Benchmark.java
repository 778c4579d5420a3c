package io.cleanroom.testbed.bench;

import java.util.List;
import java.util.Map;

/** One benchmark: runs, checks its result, and returns its figures as one JSON object. */
interface Benchmark {

  /** The names used by {@code --only} and in the output's {@code bench} field. */
  List<String> names();

  /**
   * Runs the benchmark.
   *
   * @return one set of figures per mode, each including {@code secure_s}, {@code plaintext_s} and
   *     {@code ratio}
   * @throws Exception when it cannot run or its secure result differs from the plaintext one
   */
  List<Map<String, Object>> run(BenchOptions options) throws Exception;
}
