package io.cleanroom.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cleanroom.protocol.transport.RefusedBatchException.Reason;
import io.cleanroom.protocol.wire.v1.Batch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboxTest {

  private static final List<String> PARTIES = List.of("bank-a", "bank-b", "bank-c");

  private final Inbox inbox = new Inbox("st-1", "bank-a", PARTIES, 1 << 20, Duration.ofSeconds(2));

  private static Batch batch(String study, String step, long seq, long... values) {
    return Framing.split(study, step, Batch.Kind.SHARES, values, () -> seq).get(0);
  }

  @Test
  void inOrderBatches_areAcceptedAndTaken() throws Exception {
    inbox.accept("bank-b", batch("st-1", "s/1", 1, 5, 6));
    inbox.accept("bank-b", batch("st-1", "s/2", 2, 7));
    assertArrayEquals(new long[] {5, 6}, inbox.take("bank-b", "s/1"));
    assertArrayEquals(new long[] {7}, inbox.take("bank-b", "s/2"));
    assertNull(inbox.stopReason());
  }

  @Test
  void replayedBatch_isRefusedAndStopsStudy() throws Exception {
    Batch b = batch("st-1", "s/1", 1, 5);
    inbox.accept("bank-b", b);
    RefusedBatchException e =
        assertThrows(RefusedBatchException.class, () -> inbox.accept("bank-b", b));
    assertEquals(Reason.REPLAYED, e.reason());
    assertTrue(e.getMessage().contains("replayed batch from bank-b"), e.getMessage());
    assertTrue(e.getMessage().contains("already accepted up to 1"), e.getMessage());
    StudyAbortedException stopped =
        assertThrows(StudyAbortedException.class, () -> inbox.take("bank-b", "s/1"));
    assertTrue(stopped.getMessage().contains("replayed"), stopped.getMessage());
  }

  @Test
  void outOfOrderBatch_isRefused() {
    RefusedBatchException e =
        assertThrows(
            RefusedBatchException.class, () -> inbox.accept("bank-c", batch("st-1", "s/1", 2, 1)));
    assertEquals(Reason.OUT_OF_ORDER, e.reason());
    assertTrue(e.getMessage().contains("seq 2 (step s/1), expected 1"), e.getMessage());
    assertTrue(inbox.stopReason().contains("out-of-order"));
  }

  @Test
  void foreignStudyBatch_isRefused() {
    RefusedBatchException e =
        assertThrows(
            RefusedBatchException.class, () -> inbox.accept("bank-b", batch("st-2", "s/1", 1, 1)));
    assertEquals(Reason.FOREIGN_STUDY, e.reason());
    assertTrue(e.getMessage().contains("names study st-2 on a channel of study st-1"));
  }

  @Test
  void nonParticipant_isRefusedWithoutStoppingStudy() {
    RefusedBatchException e =
        assertThrows(
            RefusedBatchException.class, () -> inbox.accept("bank-x", batch("st-1", "s/1", 1, 1)));
    assertEquals(Reason.NOT_A_PARTICIPANT, e.reason());
    assertNull(inbox.stopReason());
  }

  @Test
  void repeatedStepWithFreshSeq_isRefused() throws Exception {
    inbox.accept("bank-b", batch("st-1", "s/1", 1, 1));
    RefusedBatchException e =
        assertThrows(
            RefusedBatchException.class, () -> inbox.accept("bank-b", batch("st-1", "s/1", 2, 1)));
    assertEquals(Reason.WRONG_STEP, e.reason());
    assertTrue(e.getMessage().contains("repeats step s/1"), e.getMessage());
  }

  @Test
  void messageOfAnotherStepThanExpected_stopsStudy() throws Exception {
    inbox.accept("bank-b", batch("st-1", "s/2", 1, 1));
    StudyAbortedException e =
        assertThrows(StudyAbortedException.class, () -> inbox.take("bank-b", "s/1"));
    assertTrue(e.getMessage().contains("expected step s/1 from bank-b but received step s/2"));
  }

  @Test
  void payloadNotWholeElements_isRefused() {
    Batch bad =
        batch("st-1", "s/1", 1, 1, 2).toBuilder()
            .setPayload(ByteString.copyFrom(new byte[9]))
            .build();
    RefusedBatchException e =
        assertThrows(RefusedBatchException.class, () -> inbox.accept("bank-b", bad));
    assertEquals(Reason.MALFORMED, e.reason());
    assertTrue(e.getMessage().contains("9 payload bytes for 2 elements"), e.getMessage());
  }

  @Test
  void oversizedMessage_isRefused() {
    Inbox small = new Inbox("st-1", "bank-a", PARTIES, 4, Duration.ofSeconds(1));
    RefusedBatchException e =
        assertThrows(
            RefusedBatchException.class,
            () -> small.accept("bank-b", batch("st-1", "s/1", 1, 1, 2, 3, 4, 5)));
    assertEquals(Reason.TOO_LARGE, e.reason());
  }

  @Test
  void interleavedStepInsideMultiBatchMessage_isRefused() throws Exception {
    AtomicLong seq = new AtomicLong();
    List<Batch> big =
        Framing.split(
            "st-1",
            "s/big",
            Batch.Kind.SHARES,
            new long[Framing.MAX_BATCH_ELEMENTS + 3],
            seq::incrementAndGet);
    assertEquals(2, big.size());
    inbox.accept("bank-b", big.get(0));
    RefusedBatchException e =
        assertThrows(
            RefusedBatchException.class,
            () -> inbox.accept("bank-b", batch("st-1", "s/other", 2, 1)));
    assertEquals(Reason.WRONG_STEP, e.reason());
  }

  @Test
  void missingMessage_timesOutAndStops() {
    Inbox quick = new Inbox("st-1", "bank-a", PARTIES, 16, Duration.ofMillis(200));
    StudyAbortedException e =
        assertThrows(StudyAbortedException.class, () -> quick.take("bank-c", "s/1"));
    assertTrue(e.getMessage().contains("no message of step s/1 from bank-c"), e.getMessage());
  }
}
