package io.cleanroom.protocol.dealer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.BeaverTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitMasks;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdgeTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.TruncationMasks;
import java.util.Arrays;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DealerTest {

  private static final int N = 2000;

  private static Dealer dealer(int parties) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) parties);
    return new Dealer(seed, parties);
  }

  /** Σ over parties of {@code share.apply(party)}. */
  private static long[] open(int parties, IntFunction<long[]> share) {
    long[] sum = null;
    for (int p = 0; p < parties; p++) {
      long[] s = share.apply(p);
      if (sum == null) {
        sum = s.clone();
      } else {
        for (int i = 0; i < s.length; i++) {
          sum[i] += s[i];
        }
      }
    }
    return sum;
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void triples_openToProducts(int parties) {
    Dealer d = dealer(parties);
    BeaverTriples[] t = new BeaverTriples[parties];
    for (int p = 0; p < parties; p++) {
      t[p] = d.triples("mul#1", p, N);
    }
    long[] a = open(parties, p -> t[p].a());
    long[] b = open(parties, p -> t[p].b());
    long[] c = open(parties, p -> t[p].c());
    for (int i = 0; i < N; i++) {
      assertEquals(a[i] * b[i], c[i]);
    }
    assertFalse(Arrays.equals(t[0].a(), t[1].a()), "parties hold different shares");
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void truncationMasks_openToTopBitAndShiftedLowPart(int parties) {
    Dealer d = dealer(parties);
    TruncationMasks[] t = new TruncationMasks[parties];
    for (int p = 0; p < parties; p++) {
      t[p] = d.truncationMasks("trunc#1", p, N, 20);
    }
    long[] r = open(parties, p -> t[p].r());
    long[] top = open(parties, p -> t[p].top());
    long[] low = open(parties, p -> t[p].lowShifted());
    int tops = 0;
    for (int i = 0; i < N; i++) {
      assertEquals(r[i] >>> 63, top[i]);
      assertEquals((r[i] & Long.MAX_VALUE) >>> 20, low[i]);
      tops += (int) top[i];
    }
    // r is uniform: its top bit is set about half the time
    assertEquals(N / 2.0, tops, 5 * Math.sqrt(N / 4.0));
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void bitMasks_openToTheBitsOfR(int parties) {
    Dealer d = dealer(parties);
    BitMasks[] m = new BitMasks[parties];
    for (int p = 0; p < parties; p++) {
      m[p] = d.bitMasks("lt#1", p, 300);
    }
    long[] r = open(parties, p -> m[p].r());
    for (int k = 0; k < 64; k++) {
      final int bit = k;
      long[] bits = open(parties, p -> m[p].bits()[bit]);
      for (int i = 0; i < r.length; i++) {
        assertEquals((r[i] >>> k) & 1, bits[i]);
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void edgeTriples_reuseTheMaskAcrossIterations(int parties) {
    Dealer d = dealer(parties);
    int[] src = {0, 2, 2, 1, 3, 0};
    long[] a = open(parties, p -> d.edgeMask("w", p, src.length));
    for (String iteration : new String[] {"it#0", "it#1"}) {
      EdgeTriples[] t = new EdgeTriples[parties];
      for (int p = 0; p < parties; p++) {
        t[p] = d.edgeTriples("w", iteration, p, src, 4);
      }
      long[] b = open(parties, p -> t[p].b());
      long[] c = open(parties, p -> t[p].c());
      assertEquals(4, b.length);
      for (int e = 0; e < src.length; e++) {
        assertEquals(a[e] * b[src[e]], c[e]);
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3})
  void sameStep_givesSameShares_otherStep_differs(int parties) {
    Dealer d = dealer(parties);
    for (int p = 0; p < parties; p++) {
      assertArrayEquals(d.triples("s", p, 10).a(), d.triples("s", p, 10).a());
      assertFalse(Arrays.equals(d.triples("s", p, 10).a(), d.triples("t", p, 10).a()));
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2})
  void badArguments_areRefused(int parties) {
    Dealer d = dealer(parties);
    assertThrows(IllegalArgumentException.class, () -> d.triples("s", 2, 10));
    assertThrows(IllegalArgumentException.class, () -> d.truncationMasks("s", 0, 10, 63));
    assertThrows(
        IllegalArgumentException.class, () -> d.edgeTriples("w", "s", 0, new int[] {5}, 4));
    assertThrows(IllegalArgumentException.class, () -> new Dealer(new byte[8], 2));
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void partySeed_yieldsExactlyTheSharesTheDealerWouldSend(int parties) {
    Dealer d = dealer(parties);
    int[] src = {1, 0, 2};
    for (int p = 1; p < parties; p++) {
      Dealer own = Dealer.forParty(d.partySeed(p), p, parties);
      assertArrayEquals(d.triples("m", p, 50).c(), own.triples("m", p, 50).c());
      assertArrayEquals(
          d.truncationMasks("t", p, 50, 20).top(), own.truncationMasks("t", p, 50, 20).top());
      assertArrayEquals(d.bitMasks("b", p, 20).bits()[63], own.bitMasks("b", p, 20).bits()[63]);
      assertArrayEquals(d.edgeMask("w", p, 3), own.edgeMask("w", p, 3));
      assertArrayEquals(
          d.edgeTriples("w", "i", p, src, 3).c(), own.edgeTriples("w", "i", p, src, 3).c());
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {3})
  void partyDealer_servesItsOwnPartyOnly(int parties) {
    Dealer d = dealer(parties);
    Dealer own = Dealer.forParty(d.partySeed(1), 1, parties);
    assertThrows(IllegalArgumentException.class, () -> own.triples("m", 0, 5));
    assertThrows(IllegalArgumentException.class, () -> own.triples("m", 2, 5));
    assertThrows(IllegalStateException.class, () -> own.partySeed(2));
    assertThrows(IllegalArgumentException.class, () -> d.partySeed(0));
    assertThrows(IllegalArgumentException.class, () -> Dealer.forParty(new byte[32], 0, parties));
  }
}
