package io.cleanroom.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.aggregate.SecureSum;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.wire.v1.Batch;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests every {@link Transport} implementation must pass, written once: a subclass supplies the
 * parties' transports for a study and the same protocols run over them.
 */
public abstract class TransportConformance {

  /** One transport per party of a fresh study, in party order, and a way to tear them down. */
  protected interface Study extends AutoCloseable {
    List<Transport> transports();

    @Override
    void close() throws Exception;
  }

  protected abstract Study newStudy(List<String> parties) throws Exception;

  protected static List<String> parties(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      p.add("bank-" + (char) ('a' + i));
    }
    return p;
  }

  /** Runs {@code protocol} at every party concurrently and returns each party's result. */
  protected static <T> List<T> runAll(List<Transport> ts, Function<Transport, T> protocol)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ts.size());
    try {
      List<Future<T>> fs = new ArrayList<>();
      for (Transport t : ts) {
        fs.add(pool.submit(() -> protocol.apply(t)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : fs) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void secureSum_equalsPlaintextSum(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(n);
    long[][] inputs = new long[n][];
    long[] expected = new long[1000];
    for (int p = 0; p < n; p++) {
      inputs[p] = new long[expected.length];
      for (int i = 0; i < expected.length; i++) {
        long v =
            switch (i) {
              case 0 -> Long.MAX_VALUE;
              case 1 -> Long.MIN_VALUE;
              case 2 -> -1;
              case 3 -> 0;
              default -> rnd.nextLong();
            };
        inputs[p][i] = v;
        expected[i] += v;
      }
    }
    try (Study s = newStudy(parties(n))) {
      List<long[]> sums =
          runAll(
              s.transports(),
              t ->
                  SecureSum.sumAndOpen(
                      new AdditiveSharing(t, Prg.fresh(new SecureRandom())),
                      "sum",
                      inputs[t.selfIndex()]));
      for (long[] sum : sums) {
        assertArrayEquals(expected, sum);
      }
      for (Transport t : s.transports()) {
        // two rounds of (N−1) vectors of 1000 elements, plus headers
        assertTrue(t.bytesSent() >= 2L * (n - 1) * 8000, "bytes sent " + t.bytesSent());
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3})
  void multiBatchMessages_arriveWholeAndInOrder(int n) throws Exception {
    int len = Framing.MAX_BATCH_ELEMENTS * 2 + 17;
    try (Study s = newStudy(parties(n))) {
      List<long[][]> got =
          runAll(
              s.transports(),
              t -> {
                long[] mine = new long[len];
                for (int i = 0; i < len; i++) {
                  mine[i] = (long) t.selfIndex() * len + i;
                }
                for (String p : t.parties()) {
                  if (!p.equals(t.self())) {
                    t.send(p, "big", Batch.Kind.SHARES, mine);
                    t.send(p, "small", Batch.Kind.OPENING, new long[] {t.selfIndex()});
                  }
                }
                long[][] recv = new long[t.parties().size()][];
                for (String p : t.parties()) {
                  if (!p.equals(t.self())) {
                    int i = t.parties().indexOf(p);
                    recv[i] = t.receive(p, "big");
                    assertArrayEquals(new long[] {i}, t.receive(p, "small"));
                  }
                }
                return recv;
              });
      for (int me = 0; me < n; me++) {
        for (int from = 0; from < n; from++) {
          if (from != me) {
            long[] v = got.get(me)[from];
            assertEquals(len, v.length);
            assertEquals((long) from * len, v[0]);
            assertEquals((long) from * len + len - 1, v[len - 1]);
          }
        }
      }
    }
  }
}
