package io.cleanroom.testbed.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BeaverTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdgeTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.PowerTuples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.TruncationMasks;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.transport.StudyAbortedException;
import io.cleanroom.protocol.wire.v1.DealerGrpc;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.RandomnessRequest;
import io.cleanroom.testbed.local.LoopbackMesh;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dealer's stream over mutual TLS: correct correlations, and refusals. */
class DealerOverGrpcTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  private LoopbackMesh mesh;
  private LoopbackMesh.Study study;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    mesh = LoopbackMesh.start(BANKS);
    ConsortiumPki.issue(mesh.pki(), "bank-x", Role.NODE, List.of());
    study = mesh.open("st-1", Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    mesh.close();
  }

  private ManagedChannel channelAs(String party) throws Exception {
    ManagedChannel ch = mesh.dealerChannelAs(party);
    channels.add(ch);
    return ch;
  }

  private CorrelatedRandomness randomness(String bank) {
    return study.randomness().get(BANKS.indexOf(bank));
  }

  @Test
  void triplesStreamedToEachNode_openToProducts() throws Exception {
    int n = 300_000; // more than two batches per component
    long[] a = new long[n];
    long[] b = new long[n];
    long[] c = new long[n];
    for (String bank : BANKS) {
      BeaverTriples t = randomness(bank).triples("mul#1", n);
      for (int i = 0; i < n; i++) {
        a[i] += t.a()[i];
        b[i] += t.b()[i];
        c[i] += t.c()[i];
      }
    }
    for (int i = 0; i < n; i++) {
      assertEquals(a[i] * b[i], c[i]);
    }
    // the first party's shares are streamed; the others derive theirs from a 32-byte party seed
    assertTrue(study.dealerBytes() > 3L * 8 * n, "dealer sent " + study.dealerBytes());
    assertTrue(study.dealerBytes() < 2 * 3L * 8 * n, "dealer sent " + study.dealerBytes());
  }

  @Test
  void edgeTriples_carryTheGraphStructureOnly() throws Exception {
    int[] src = {2, 0, 1, 1};
    long[] a = new long[src.length];
    long[] b = new long[3];
    long[] c = new long[src.length];
    for (String bank : BANKS) {
      CorrelatedRandomness r = randomness(bank);
      long[] mask = r.edgeMask("w", src.length);
      EdgeTriples t = r.edgeTriples("w", "it#0", src, 3);
      for (int e = 0; e < src.length; e++) {
        a[e] += mask[e];
        c[e] += t.c()[e];
      }
      for (int i = 0; i < 3; i++) {
        b[i] += t.b()[i];
      }
    }
    for (int e = 0; e < src.length; e++) {
      assertEquals(a[e] * b[src[e]], c[e]);
    }
  }

  @Test
  void prefetchedBundle_answersTheAnnouncedCalls_withTheSameCorrelations() throws Exception {
    int n = 200_000; // parts spanning several batches
    int[] rows = {3, 0, 2};
    CorrelatedRandomness first = randomness("bank-a");
    first.prefetch(
        r -> {
          r.truncationMasks("t#1", n, 20);
          r.powers("p#1", 5);
          r.rowTriples("x", "fwd#1", rows, 4, false);
          r.triples("mul#2", 7);
        });
    long[] x = new long[n];
    long[] top = new long[n];
    long[] low = new long[n];
    long[] a = new long[5];
    long[] a2 = new long[5];
    long[] a3 = new long[5];
    long[] mul = new long[3 * 7];
    for (String bank : BANKS) {
      CorrelatedRandomness r = randomness(bank);
      // out of order against the announcement, and one call that was not announced
      PowerTuples p = r.powers("p#1", 5);
      BeaverTriples t = r.triples("mul#2", 7);
      TruncationMasks m = r.truncationMasks("t#1", n, 20);
      r.rowTriples("x", "fwd#1", rows, 4, false);
      r.triples("mul#3", 2);
      for (int i = 0; i < n; i++) {
        x[i] += m.r()[i];
        top[i] += m.top()[i];
        low[i] += m.lowShifted()[i];
      }
      for (int i = 0; i < 5; i++) {
        a[i] += p.a()[i];
        a2[i] += p.a2()[i];
        a3[i] += p.a3()[i];
      }
      for (int i = 0; i < 7; i++) {
        mul[i] += t.a()[i];
        mul[7 + i] += t.b()[i];
        mul[14 + i] += t.c()[i];
      }
    }
    for (int i = 0; i < n; i++) {
      assertEquals(x[i] >>> 63, top[i]);
      assertEquals((x[i] & Long.MAX_VALUE) >>> 20, low[i]);
    }
    for (int i = 0; i < 5; i++) {
      assertEquals(a[i] * a[i], a2[i]);
      assertEquals(a[i] * a[i] * a[i], a3[i]);
    }
    for (int i = 0; i < 7; i++) {
      assertEquals(mul[i] * mul[7 + i], mul[14 + i]);
    }
  }

  @Test
  void bundleWithASeedRequest_isRefused() throws Exception {
    RandomnessRequest bundle =
        RandomnessRequest.newBuilder()
            .setHeader(Header.newBuilder().setStudyId("st-1").setStep("b#1").setSeq(1))
            .setKind(RandomnessRequest.Kind.BUNDLE)
            .addParts(request("st-1", 0))
            .addParts(
                RandomnessRequest.newBuilder()
                    .setKind(RandomnessRequest.Kind.OWNER_SEED)
                    .setHeader(Header.newBuilder().setStep("s")))
            .build();
    Status s = call("bank-a", bundle);
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    assertEquals("a bundle cannot contain a OWNER_SEED", s.getDescription());
  }

  private static RandomnessRequest request(String study, long seq) {
    return RandomnessRequest.newBuilder()
        .setHeader(Header.newBuilder().setStudyId(study).setStep("mul#1").setSeq(seq))
        .setKind(RandomnessRequest.Kind.BEAVER_TRIPLES)
        .setCount(4)
        .build();
  }

  private Status call(String party, RandomnessRequest req) throws Exception {
    try {
      DealerGrpc.newBlockingStub(channelAs(party))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .randomness(req)
          .forEachRemaining(b -> {});
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Test
  void replayedRequest_isRefused() throws Exception {
    assertEquals(Status.Code.OK, call("bank-a", request("st-1", 1)).getCode());
    Status s = call("bank-a", request("st-1", 1));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().startsWith("replayed randomness request from bank-a"));
  }

  @Test
  void skippedSequenceNumber_isRefused() throws Exception {
    Status s = call("bank-b", request("st-1", 3));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("seq 3, expected 1"), s.getDescription());
  }

  @Test
  void foreignStudy_isRefused() throws Exception {
    Status s = call("bank-a", request("st-9", 1));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("\"st-9\", which is not running"));
  }

  @Test
  void nonParticipantAndOperator_areRefused() throws Exception {
    Status s = call("bank-x", request("st-1", 1));
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
    assertTrue(s.getDescription().contains("bank-x is not a participant of study st-1"));
    assertEquals(Status.Code.PERMISSION_DENIED, call("operator", request("st-1", 1)).getCode());
  }

  @Test
  void closedStudy_forgetsItsDealer() throws Exception {
    study.close();
    StudyAbortedException e =
        assertThrows(StudyAbortedException.class, () -> randomness("bank-a").triples("mul#1", 4));
    assertTrue(e.getMessage().contains("which is not running"), e.getMessage());
  }

  @Test
  void partySeed_isRefusedToTheFirstParty() throws Exception {
    Status s =
        call(
            "bank-a",
            request("st-1", 1).toBuilder().setKind(RandomnessRequest.Kind.PARTY_SEED).build());
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    assertTrue(s.getDescription().contains("first party"), s.getDescription());
  }
}
