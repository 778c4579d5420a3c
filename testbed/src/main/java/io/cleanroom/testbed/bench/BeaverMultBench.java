package io.cleanroom.testbed.bench;

import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.testbed.local.LoopbackMesh;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Beaver multiplication of {@code rows} pairs of secret-shared ring elements among {@code banks}
 * nodes, each a gRPC server with mutual TLS on loopback in this JVM, the dealer's triples streamed
 * from the coordinator's service; against the same products in plaintext.
 */
final class BeaverMultBench implements Benchmark {

  @Override
  public String name() {
    return "beaver_mult";
  }

  @Override
  public Map<String, Object> run(BenchOptions o) throws Exception {
    int n = o.rows();
    int parties = o.banks();
    List<String> names = new ArrayList<>();
    for (int p = 0; p < parties; p++) {
      names.add("bank-" + (char) ('a' + p));
    }
    SecureRandom random = new SecureRandom();
    Prg prg = Prg.fresh(random);
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

    try (LoopbackMesh mesh = LoopbackMesh.start(names)) {
      // warm-up: connections, TLS handshakes and the JIT, outside the measurement
      measure(
          mesh,
          "bench-warmup",
          10_000,
          split(new long[10_000], parties, prg),
          split(new long[10_000], parties, prg));
      long t0 = System.nanoTime();
      Result r = measure(mesh, "bench-mult", n, xs, ys);
      double secure = (System.nanoTime() - t0) / 1e9;
      for (int i = 0; i < n; i++) {
        if (r.product[i] != expected[i]) {
          throw new IllegalStateException("secure product " + i + " differs from plaintext");
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bench", name());
      m.put("parties", parties);
      m.put("n", n);
      m.put("mode", "in-process");
      m.put("secure_s", secure);
      m.put("plaintext_s", plaintext);
      m.put("ratio", secure / Math.max(plaintext, 1e-9));
      m.put("rate_per_s", n / secure);
      m.put("plaintext_rate_per_s", n / Math.max(plaintext, 1e-9));
      m.put("bytes_per_party", r.bytesPerParty);
      m.put("dealer_bytes_per_party", r.dealerBytes / parties);
      return m;
    }
  }

  private record Result(long[] product, double bytesPerParty, long dealerBytes) {}

  private static Result measure(LoopbackMesh mesh, String id, int n, long[][] xs, long[][] ys)
      throws Exception {
    try (LoopbackMesh.Study s = mesh.open(id, Duration.ofMinutes(10))) {
      int parties = xs.length;
      FixedPoint fp = new FixedPoint(FixedPoint.DEFAULT_FRACTION_BITS);
      List<long[]> shares =
          Parallel.run(
              parties,
              p ->
                  () -> {
                    Arithmetic a =
                        new Arithmetic(
                            s.transports().get(p),
                            s.randomness().get(p),
                            fp,
                            Prg.fresh(new SecureRandom()));
                    return a.mul("mul", xs[p], ys[p]);
                  });
      long[] product = new long[n];
      for (long[] share : shares) {
        for (int i = 0; i < n; i++) {
          product[i] += share[i];
        }
      }
      double bytes = s.transports().stream().mapToLong(t -> t.bytesSent()).average().orElse(0);
      return new Result(product, bytes, s.dealerBytes());
    }
  }

  /** Additive shares of {@code v} among {@code parties}. */
  private static long[][] split(long[] v, int parties, Prg prg) {
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
