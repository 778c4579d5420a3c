package io.cleanroom.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.aggregate.SecureSum;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.wire.v1.Batch;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests every {@link Transport} implementation must pass, written once: a subclass supplies the
 * parties' transports for a study and the same protocols run over them.
 */
public abstract class TransportConformance {

  protected abstract StudyHarness.Study newStudy(List<String> parties) throws Exception;

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
    try (StudyHarness.Study s = newStudy(StudyHarness.parties(n))) {
      List<long[]> sums =
          StudyHarness.runAll(
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
    try (StudyHarness.Study s = newStudy(StudyHarness.parties(n))) {
      List<long[][]> got =
          StudyHarness.runAll(
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
