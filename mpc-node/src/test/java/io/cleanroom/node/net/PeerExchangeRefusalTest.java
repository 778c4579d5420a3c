package io.cleanroom.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.transport.Framing;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.transport.StudyAbortedException;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.ExchangeReceipt;
import io.cleanroom.protocol.wire.v1.PeerExchangeGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node refuses, over the wire, batches that do not fit its study: the sender's stream ends with a
 * Status naming the reason, and the receiver's study stops.
 */
class PeerExchangeRefusalTest {

  @TempDir Path temp;
  private TestMesh mesh;

  @BeforeEach
  void setUp() throws Exception {
    mesh = new TestMesh(temp.resolve("pki"), List.of("bank-a", "bank-b", "bank-c"));
    mesh.study("st-1");
  }

  @AfterEach
  void tearDown() throws Exception {
    mesh.close();
  }

  private static Batch batch(String study, String step, long seq) {
    return Framing.split(study, step, Batch.Kind.SHARES, new long[] {42}, () -> seq).get(0);
  }

  /** Streams {@code batches} from bank-a to bank-b; returns the Status the stream ended with. */
  private Status send(Batch... batches) throws Exception {
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<Batch> out =
        PeerExchangeGrpc.newStub(mesh.channels.get("bank-a").channel("bank-b"))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .exchange(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ExchangeReceipt r) {}

                  @Override
                  public void onError(Throwable t) {
                    end.complete(Status.fromThrowable(t));
                  }

                  @Override
                  public void onCompleted() {
                    end.complete(Status.OK);
                  }
                });
    for (Batch b : batches) {
      out.onNext(b);
    }
    out.onCompleted();
    return end.get(10, TimeUnit.SECONDS);
  }

  @Test
  void inSequenceBatches_areAccepted() throws Exception {
    assertEquals(Status.Code.OK, send(batch("st-1", "s/1", 1), batch("st-1", "s/2", 2)).getCode());
    assertNull(mesh.inboxes.get("bank-b").get("st-1").stopReason());
  }

  @Test
  void replayedBatch_isRefusedAndStudyStops() throws Exception {
    Batch b = batch("st-1", "s/1", 1);
    Status s = send(b, b);
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("replayed batch from bank-a"), s.getDescription());
    String stopped = mesh.inboxes.get("bank-b").get("st-1").stopReason();
    assertNotNull(stopped);
    assertThrows(
        StudyAbortedException.class,
        () -> mesh.inboxes.get("bank-b").get("st-1").take("bank-a", "s/1"));
  }

  @Test
  void outOfOrderBatch_isRefused() throws Exception {
    Status s = send(batch("st-1", "s/1", 1), batch("st-1", "s/3", 3));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("out-of-order batch from bank-a"), s.getDescription());
    assertTrue(s.getDescription().contains("expected 2"), s.getDescription());
  }

  @Test
  void foreignStudyBatch_isRefusedWithoutTouchingRunningStudy() throws Exception {
    Status s = send(batch("st-other", "s/1", 1));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("study \"st-other\", which bank-b is not running"));
    assertNull(mesh.inboxes.get("bank-b").get("st-1").stopReason());
  }

  @Test
  void studySwitchInsideStream_isRefused() throws Exception {
    Status s = send(batch("st-1", "s/1", 1), batch("st-2", "s/2", 2));
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("names study st-2 on a channel of study st-1"));
  }

  @Test
  void refusalReachesTheSendingTransport() throws Exception {
    // bank-a runs st-3, bank-b does not: bank-b refuses the stream and bank-a's next send fails.
    Inbox own = new Inbox("st-3", "bank-a", mesh.parties, 16, Duration.ofSeconds(5));
    GrpcTransport stray =
        new GrpcTransport(
            "st-3",
            "bank-a",
            mesh.parties,
            own,
            mesh.channels.get("bank-a"),
            Duration.ofSeconds(10));
    StudyAbortedException e =
        assertThrows(
            StudyAbortedException.class,
            () -> {
              for (int i = 1; i < 500; i++) {
                stray.send("bank-b", "s/" + i, Batch.Kind.SHARES, new long[] {1});
                Thread.sleep(10);
              }
            });
    assertTrue(e.getMessage().contains("bank-b ended the exchange"), e.getMessage());
    assertTrue(e.getMessage().contains("not running"), e.getMessage());
    assertNotNull(own.stopReason());
  }
}
