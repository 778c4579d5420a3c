package io.cleanroom.protocol.linkage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.transport.InMemoryNetwork;
import io.cleanroom.protocol.transport.StudyHarness;
import io.cleanroom.protocol.wire.v1.IdentifierKind;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkageMatcherTest {

  private static final int[] NONE = {};
  private static final long[] NO = {};

  /**
   * Bank 0: accounts a0, a1 (same customer, national id 7), a0 → a1 intra, a1 → bank 1's b0. Bank
   * 1: b0, b1; b0 receives from bank 0's a1; b1 shares phone 9 with bank 2's c0. Bank 2: c0, sends
   * to an account at no participant.
   */
  private static List<PartyUpload> example() {
    PartyUpload bank0 =
        new PartyUpload(
            2,
            new int[] {0, 1},
            new int[] {IdentifierKind.NATIONAL_ID_VALUE, IdentifierKind.NATIONAL_ID_VALUE},
            new long[] {7, 7},
            new long[] {0, 0},
            new int[] {1},
            new long[] {100},
            new long[] {1},
            new int[] {0, 1},
            new byte[] {PartyUpload.INTRA, PartyUpload.CROSS_OUT},
            new int[] {1, 0},
            new long[] {200},
            new long[] {1});
    PartyUpload bank1 =
        new PartyUpload(
            2,
            new int[] {1},
            new int[] {IdentifierKind.PHONE_VALUE},
            new long[] {9},
            new long[] {0},
            new int[] {0},
            new long[] {200},
            new long[] {1},
            new int[] {0},
            new byte[] {PartyUpload.CROSS_IN},
            new int[] {0},
            new long[] {100},
            new long[] {1});
    PartyUpload bank2 =
        new PartyUpload(
            1,
            new int[] {0, 0},
            new int[] {IdentifierKind.PHONE_VALUE, IdentifierKind.EMAIL_VALUE},
            new long[] {9, 7},
            new long[] {0, 0},
            NONE,
            NO,
            NO,
            new int[] {0},
            new byte[] {PartyUpload.CROSS_OUT},
            new int[] {0},
            new long[] {555},
            new long[] {5});
    return List.of(bank0, bank1, bank2);
  }

  private static Set<String> edges(int[] src, int[] dst) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < src.length; i++) {
      s.add(src[i] + ">" + dst[i]);
    }
    return s;
  }

  @Test
  void example_buildsFlowAndIdentityEdgesOverHandles() {
    LinkageResult r = LinkageMatcher.match(example(), new SecureRandom());
    JointGraph g = r.graph();
    assertEquals(5, g.handles());
    int a0 = r.views().get(0).ownHandles()[0];
    int a1 = r.views().get(0).ownHandles()[1];
    int b0 = r.views().get(1).ownHandles()[0];
    int b1 = r.views().get(1).ownHandles()[1];
    int c0 = r.views().get(2).ownHandles()[0];
    assertEquals(Set.of(0, 1, 2, 3, 4), Set.of(a0, a1, b0, b1, c0));
    assertEquals(0, g.owner()[a0]);
    assertEquals(1, g.owner()[b1]);
    assertEquals(2, g.owner()[c0]);
    // the cross-bank transfer is reported by both banks and appears once
    assertEquals(Set.of(a0 + ">" + a1, a1 + ">" + b0), edges(g.flowSrc(), g.flowDst()));
    assertEquals(2, g.flowSrc().length);
    // same national id (a0, a1) and same phone (b1, c0); the email of c0 equals the national id
    // value of bank 0 but is of another kind and must not link
    assertEquals(
        Set.of(a0 + ">" + a1, a1 + ">" + a0, b1 + ">" + c0, c0 + ">" + b1),
        edges(g.identitySrc(), g.identityDst()));
    assertEquals(2, r.clusters().size());
    // counterparts: bank 0's cross edge points at b0, bank 1's at a1, bank 2's is unmatched
    assertArrayEquals(new int[] {a1, b0}, r.views().get(0).edgeCounterparts());
    assertArrayEquals(new int[] {a1}, r.views().get(1).edgeCounterparts());
    assertArrayEquals(new int[] {-1}, r.views().get(2).edgeCounterparts());
    assertEquals(1, r.unmatchedCounterparts());
  }

  @Test
  void handles_areFreshPerRun() {
    int[] first = LinkageMatcher.match(example(), new SecureRandom()).views().get(0).ownHandles();
    boolean differs = false;
    for (int i = 0; i < 50 && !differs; i++) {
      differs =
          !Arrays.equals(
              first,
              LinkageMatcher.match(example(), new SecureRandom()).views().get(0).ownHandles());
    }
    assertTrue(differs, "handles never changed over 50 runs");
  }

  @Test
  void sameBlindedAccountAtTwoBanks_isRefused() {
    List<PartyUpload> u = example();
    PartyUpload clash =
        new PartyUpload(
            1,
            NONE,
            NONE,
            NO,
            NO,
            new int[] {0},
            new long[] {100},
            new long[] {1},
            NONE,
            new byte[0],
            NONE,
            NO,
            NO);
    assertThrows(
        IllegalArgumentException.class,
        () -> LinkageMatcher.match(List.of(u.get(0), clash), new SecureRandom()));
  }

  @Test
  void labelOutOfRange_isRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new PartyUpload(
                1,
                new int[] {1},
                new int[] {1},
                new long[] {1},
                new long[] {1},
                NONE,
                NO,
                NO,
                NONE,
                new byte[0],
                NONE,
                NO,
                NO));
  }

  @Test
  void consortiumKey_isTheSameAtEveryBankAndFreshPerStudy() throws Exception {
    List<String> banks = StudyHarness.parties(3);
    InMemoryNetwork net = new InMemoryNetwork("st-key", banks, Duration.ofSeconds(10));
    List<byte[]> keys =
        StudyHarness.runAll(
            banks.stream().map(net::transport).toList(),
            t -> ConsortiumKey.derive(t, "link/key", new SecureRandom()));
    assertArrayEquals(keys.get(0), keys.get(1));
    assertArrayEquals(keys.get(0), keys.get(2));
    InMemoryNetwork net2 = new InMemoryNetwork("st-key2", banks, Duration.ofSeconds(10));
    List<byte[]> again =
        StudyHarness.runAll(
            banks.stream().map(net2::transport).toList(),
            t -> ConsortiumKey.derive(t, "link/key", new SecureRandom()));
    assertNotEquals(Arrays.toString(keys.get(0)), Arrays.toString(again.get(0)));
  }

  @Test
  void hasher_separatesKindsAndKeys() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    k2[0] = 1;
    HmacLinkageHasher h1 = new HmacLinkageHasher(k1);
    assertArrayEquals(
        h1.blind(IdentifierKind.PHONE, "0912345678"), h1.blind(IdentifierKind.PHONE, "0912345678"));
    assertNotEquals(
        Arrays.toString(h1.blind(IdentifierKind.PHONE, "0912345678")),
        Arrays.toString(h1.blind(IdentifierKind.EMAIL, "0912345678")));
    assertNotEquals(
        Arrays.toString(h1.blind(IdentifierKind.PHONE, "0912345678")),
        Arrays.toString(new HmacLinkageHasher(k2).blind(IdentifierKind.PHONE, "0912345678")));
    assertThrows(IllegalArgumentException.class, () -> h1.blind(IdentifierKind.EMAIL, ""));
  }
}
