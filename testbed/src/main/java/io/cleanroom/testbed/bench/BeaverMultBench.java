package io.cleanroom.testbed.bench;

import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.dealer.LocalRandomness;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.transport.InMemoryNetwork;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import io.cleanroom.testbed.local.LoopbackMesh;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Beaver multiplication of {@code rows} pairs of secret-shared ring elements among {@code banks}
 * parties, against the same products in plaintext, in two modes:
 *
 * <ul>
 *   <li>{@code in-process}: the parties as threads exchanging through the in-memory transport, the
 *       dealer's triples prepared before the clock starts — the online phase alone;
 *   <li>{@code grpc-loopback}: every party a gRPC server with mutual TLS on loopback, the triples
 *       streamed from the coordinator's dealer service inside the measurement;
 *   <li>{@code multi-process}: a study of the {@code beaver-benchmark} task through the local
 *       testbed — coordinator and nodes as separate JVMs — timed by the coordinator's phase clock,
 *       which includes starting the phase and streaming the triples.
 * </ul>
 *
 * The first two modes check every secure product against the plaintext one; the study opens a
 * sample of 1000 factors and products and counts mismatches, which must be zero.
 */
final class BeaverMultBench implements Benchmark {

  private static final FixedPoint FP = new FixedPoint(FixedPoint.DEFAULT_FRACTION_BITS);

  @Override
  public List<String> names() {
    return List.of(name());
  }

  private String name() {
    return "beaver_mult";
  }

  @Override
  public List<Map<String, Object>> run(BenchOptions o) throws Exception {
    int n = o.rows();
    int parties = o.banks();
    List<String> names = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      names.add("bank-" + (char) ('a' + p));
    }
    Prg prg = Prg.fresh(new SecureRandom());
    long[] x = prg.next(n);
    long[] y = prg.next(n);
    long[][] xs = split(x, parties, prg);
    long[][] ys = split(y, parties, prg);
    long p0 = System.nanoTime();
    long[] expected = new long[n];
    for (int i = 0; i < n; i++) {
      expected[i] = x[i] * y[i];
    }
    double plaintext = (System.nanoTime() - p0) / 1e9;

    List<Map<String, Object>> out = new ArrayList<>();
    // warm-up of the JIT for both modes, outside the measurement
    inProcess(names, split(new long[50_000], parties, prg), split(new long[50_000], parties, prg));
    out.add(figures("in-process", inProcess(names, xs, ys), n, parties, plaintext, expected));
    try (LoopbackMesh mesh = LoopbackMesh.start(names)) {
      grpc(
          mesh,
          "warmup",
          split(new long[10_000], parties, prg),
          split(new long[10_000], parties, prg));
      out.add(
          figures("grpc-loopback", grpc(mesh, "mult", xs, ys), n, parties, plaintext, expected));
    }
    out.add(multiProcess(n, parties, plaintext));
    return out;
  }

  /**
   * The {@code beaver-benchmark} study through the local testbed, coordinator and nodes as separate
   * JVMs, timed by the coordinator's clock for the phase (which includes starting it and the
   * dealer's stream); the nodes open a sample of 1000 factors and products and count mismatches,
   * which must be zero.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> multiProcess(int n, int parties, double plaintext) throws Exception {
    Path dir = Files.createTempDirectory("cleanroom-bench-");
    try {
      Generator.generate(dir.resolve("data"), GeneratorOptions.of(parties, 100 * parties, 1));
      Map<String, Object> summary =
          LocalTestbed.run(
              LocalTestbed.Options.of(dir.resolve("data"), dir.resolve("out"), false)
                  .withTask(Tasks.BEAVER_BENCHMARK, Map.of("n", Integer.toString(n))),
              new PrintStream(OutputStream.nullOutputStream()));
      if (!Bench.succeeded(summary)) {
        throw new IllegalStateException("benchmark study aborted: " + summary.get("abort_reason"));
      }
      Map<String, Long> totals = (Map<String, Long>) summary.get("totals");
      if (totals.get("mismatches") != 0 || totals.get("checked") != Math.min(n, 1000)) {
        throw new IllegalStateException("multi-process products do not check: " + totals);
      }
      Map<String, Object> phase =
          Bench.phase((List<Map<String, Object>>) summary.get("phases"), "multiply");
      double seconds = (Double) phase.get("wall_s");
      Map<String, Long> bytes = (Map<String, Long>) phase.get("bytes_sent");
      double nodeBytes =
          bytes.entrySet().stream()
              .filter(e -> !e.getKey().equals("coordinator"))
              .mapToLong(Map.Entry::getValue)
              .average()
              .orElse(0);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", name());
      m.put("parties", parties);
      m.put("n", n);
      m.put("mode", "multi-process");
      m.put("secure_s", seconds);
      m.put("plaintext_s", plaintext);
      m.put("ratio", seconds / Math.max(plaintext, 1e-9));
      m.put("rate_per_s", n / seconds);
      m.put("plaintext_rate_per_s", n / Math.max(plaintext, 1e-9));
      m.put("bytes_per_party", nodeBytes);
      m.put("bytes_per_mult_per_party", nodeBytes / n);
      m.put("dealer_bytes_per_party", (double) bytes.get("coordinator") / parties);
      return m;
    } finally {
      LocalTestbed.deleteTree(dir);
    }
  }

  private Map<String, Object> figures(
      String mode, Result r, int n, int parties, double plaintext, long[] expected) {
    for (int i = 0; i < n; i++) {
      if (r.product[i] != expected[i]) {
        throw new IllegalStateException(mode + ": secure product " + i + " differs from plaintext");
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", name());
    m.put("parties", parties);
    m.put("n", n);
    m.put("mode", mode);
    m.put("secure_s", r.seconds);
    m.put("plaintext_s", plaintext);
    m.put("ratio", r.seconds / Math.max(plaintext, 1e-9));
    m.put("rate_per_s", n / r.seconds);
    m.put("plaintext_rate_per_s", n / Math.max(plaintext, 1e-9));
    m.put("bytes_per_party", r.bytesPerParty);
    m.put("bytes_per_mult_per_party", r.bytesPerParty / n);
    m.put("dealer_s", r.dealerSeconds);
    m.put("dealer_bytes_per_party", r.dealerBytesPerParty);
    return m;
  }

  private record Result(
      long[] product,
      double seconds,
      double bytesPerParty,
      double dealerSeconds,
      double dealerBytesPerParty) {}

  private static Result inProcess(List<String> names, long[][] xs, long[][] ys) throws Exception {
    int n = xs[0].length;
    int parties = names.size();
    InMemoryNetwork net = new InMemoryNetwork("bench-in-process", names, Duration.ofMinutes(10));
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    Dealer dealer = new Dealer(seed, parties);
    long d0 = System.nanoTime();
    List<CorrelatedRandomness> triples =
        Parallel.run(parties, p -> () -> new Prefetched(new LocalRandomness(dealer, p), "mul", n));
    double dealerSeconds = (System.nanoTime() - d0) / 1e9;
    List<Transport> ts = new ArrayList<>();
    names.forEach(p -> ts.add(net.transport(p)));
    long t0 = System.nanoTime();
    List<long[]> shares = multiply(ts, triples, xs, ys);
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(sum(shares), seconds, averageBytes(ts), dealerSeconds, 3.0 * Long.BYTES * n);
  }

  private static Result grpc(LoopbackMesh mesh, String id, long[][] xs, long[][] ys)
      throws Exception {
    try (LoopbackMesh.Study s = mesh.open("bench-" + id, Duration.ofMinutes(10))) {
      List<Transport> ts = List.copyOf(s.transports());
      long t0 = System.nanoTime();
      List<long[]> shares = multiply(ts, s.randomness(), xs, ys);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Result(
          sum(shares), seconds, averageBytes(ts), Double.NaN, (double) s.dealerBytes() / ts.size());
    }
  }

  private static List<long[]> multiply(
      List<Transport> ts, List<CorrelatedRandomness> dealers, long[][] xs, long[][] ys)
      throws Exception {
    return Parallel.run(
        ts.size(),
        p ->
            () ->
                new Arithmetic(ts.get(p), dealers.get(p), FP, Prg.fresh(new SecureRandom()))
                    .mul("mul", xs[p], ys[p]));
  }

  private static long[] sum(List<long[]> shares) {
    long[] out = new long[shares.get(0).length];
    for (long[] s : shares) {
      for (int i = 0; i < out.length; i++) {
        out[i] += s[i];
      }
    }
    return out;
  }

  private static double averageBytes(List<Transport> ts) {
    return ts.stream().mapToLong(Transport::bytesSent).average().orElse(0);
  }

  /** Additive shares of {@code v} among {@code parties}. */
  static long[][] split(long[] v, int parties, Prg prg) {
    long[][] s = new long[parties][];
    s[0] = v.clone();
    for (int p = 1; p < parties; p++) {
      s[p] = prg.next(v.length);
      for (int i = 0; i < v.length; i++) {
        s[0][i] -= s[p][i];
      }
    }
    return s;
  }
}
