package io.cleanroom.testbed.bench;

import io.cleanroom.eval.model.FeatureRows;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.model.PlaintextLogisticTrainer;
import io.cleanroom.eval.model.SyntheticRows;
import io.cleanroom.eval.model.TrainingParameters;
import io.cleanroom.node.model.TrainingPhase;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import io.cleanroom.testbed.reference.Detection;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The joint model's training on {@code rows} rows × {@code features} features over {@code banks}
 * banks, coordinator and nodes as separate processes: a study of the {@code training-benchmark}
 * task, in which every node trains exactly as in a fraud study's train phase on its slice of rows
 * drawn from a public seed ({@link SyntheticRows}), timed by the coordinator's clock for the phase;
 * against the plaintext twin ({@link PlaintextLogisticTrainer#fitAsBatched}, the same batches in
 * double precision with the exact sigmoid) on the pooled rows in this process. Both models' AUC on
 * the pooled rows and the cosine of their weights show that the fast run is also the right one.
 */
final class TrainingBench implements Benchmark {

  /** Batch size of the benchmark unless {@code --batch-size} says otherwise. */
  static final int DEFAULT_BATCH = 512;

  @Override
  public List<String> names() {
    return List.of("training");
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> run(BenchOptions o) throws Exception {
    SyntheticRows spec = new SyntheticRows(o.rows(), o.features(), 1);
    Map<String, String> params = new HashMap<>(spec.asPlan());
    params.put("epochs", "10");
    params.put("batch_size", Integer.toString(o.batchSize()));
    TrainingParameters p = TrainingParameters.of(params);
    Path dir = Files.createTempDirectory("cleanroom-bench-training-");
    Map<String, Object> summary;
    try {
      Generator.generate(dir.resolve("data"), GeneratorOptions.of(o.banks(), 100 * o.banks(), 1));
      summary =
          LocalTestbed.run(
              LocalTestbed.Options.of(dir.resolve("data"), dir.resolve("out"), false)
                  .withTask(Tasks.TRAINING_BENCHMARK, params)
                  .withHeap(heapFor(o)),
              new PrintStream(OutputStream.nullOutputStream()));
    } finally {
      LocalTestbed.deleteTree(dir);
    }
    if (!Bench.succeeded(summary)) {
      throw new IllegalStateException("benchmark study aborted: " + summary.get("abort_reason"));
    }
    Map<String, Object> phase =
        Bench.phase((List<Map<String, Object>>) summary.get("phases"), "fit");
    Map<String, Long> totals = (Map<String, Long>) summary.get("totals");

    List<FeatureRows> parts = new ArrayList<>();
    for (int q = 0; q < o.banks(); q++) {
      parts.add(spec.part(q, o.banks()));
    }
    long t0 = System.nanoTime();
    LogisticModel plain =
        new PlaintextLogisticTrainer(p, 0, false)
            .fitAsBatched(parts, TrainingPhase.batchSeed((String) summary.get("study")));
    double plaintext = (System.nanoTime() - t0) / 1e9;

    FixedPoint fp = new FixedPoint(FixedPoint.DEFAULT_FRACTION_BITS);
    double[] w = new double[o.features()];
    for (int j = 0; j < w.length; j++) {
      w[j] = fp.decode(totals.get("weight/" + plain.features().get(j)));
    }
    LogisticModel secure =
        new LogisticModel(
            plain.features(),
            plain.means(),
            plain.stds(),
            p.winsorize(),
            w,
            fp.decode(totals.get("intercept")));
    FeatureRows pooled = FeatureRows.concat(parts);
    double secureSeconds = (Double) phase.get("wall_s");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", "training");
    m.put("parties", o.banks());
    m.put("rows", o.rows());
    m.put("features", o.features());
    m.put("epochs", p.epochs());
    m.put("batch_size", p.batchSize());
    m.put("mode", "multi-process");
    m.put("secure_s", secureSeconds);
    m.put("plaintext_s", plaintext);
    m.put("ratio", secureSeconds / Math.max(plaintext, 1e-9));
    m.put("auc_secure", auc(secure, pooled));
    m.put("auc_plaintext", auc(plain, pooled));
    m.put("weight_cosine", secure.cosine(plain));
    m.put("alert_rows", totals.get("alert_rows"));
    m.put("clamped_row_steps", totals.get("clamped_row_steps"));
    m.put("bytes_sent", phase.get("bytes_sent"));
    m.put("peak_heap_mb", phase.get("peak_heap_mb"));
    return List.of(m);
  }

  /**
   * Room for every node's copy of all masked rows (two words per row and column, over all banks),
   * its own rows and their shares: 48 bytes per row and column and 768 MB besides.
   */
  private static String heapFor(BenchOptions o) {
    return ((long) o.rows() * (o.features() + 1) * 48 / (1 << 20) + 768) + "m";
  }

  private static double auc(LogisticModel model, FeatureRows rows) {
    double[] score = new double[rows.size()];
    boolean[] label = new boolean[rows.size()];
    for (int i = 0; i < score.length; i++) {
      score[i] = model.score(rows.x()[i]);
      label[i] = rows.y()[i] == 1;
    }
    return Detection.auc(score, label);
  }
}
