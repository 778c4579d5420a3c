package io.cleanroom.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cleanroom.protocol.transport.RefusedBatchException.Reason;
import io.cleanroom.protocol.wire.v1.Batch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's receiving side under arbitrary batches from participants and strangers: each batch is
 * accepted or refused with a {@link RefusedBatchException}; a refusal from a participant stops the
 * study, one from a stranger does not; and while the study runs, every message accepted whole can
 * be taken, in order, at its declared length.
 *
 * <p>The input is a sequence of (one byte naming the sender, a length-delimited {@link Batch}); it
 * ends at the first frame that is not a protocol buffer, which gRPC refuses before any handler.
 */
class InboxFuzzTest {
  private static final String STUDY = "st-1";
  private static final List<String> PARTIES = List.of("bank-a", "bank-b", "bank-c");
  private static final List<String> SENDERS = List.of("bank-b", "bank-c", "bank-a", "bank-x");

  @FuzzTest(maxDuration = "60s")
  void accept(byte[] input) throws IOException {
    Inbox inbox = new Inbox(STUDY, "bank-a", PARTIES, 1 << 12, Duration.ofMillis(100));
    Map<String, List<Batch>> whole = new LinkedHashMap<>();
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    for (int sender; (sender = in.read()) >= 0; ) {
      String from = SENDERS.get(sender % SENDERS.size());
      Batch batch;
      try {
        batch = Batch.parseDelimitedFrom(in);
      } catch (InvalidProtocolBufferException e) {
        break;
      }
      if (batch == null) {
        break;
      }
      String stoppedBefore = inbox.stopReason();
      try {
        inbox.accept(from, batch);
      } catch (RefusedBatchException e) {
        assertNotNull(e.reason());
        if (e.reason() == Reason.NOT_A_PARTICIPANT) {
          assertEquals(stoppedBefore, inbox.stopReason(), "a stranger stopped the study");
        } else {
          assertNotNull(inbox.stopReason(), "a refused participant's batch did not stop the study");
        }
        continue;
      }
      assertNull(stoppedBefore, "a batch was accepted after the study stopped");
      if (batch.getOffset() + batch.getCount() == batch.getTotal()) {
        whole.computeIfAbsent(from, f -> new ArrayList<>()).add(batch);
      }
    }
    if (inbox.stopReason() != null) {
      return;
    }
    for (Map.Entry<String, List<Batch>> sender : whole.entrySet()) {
      for (Batch last : sender.getValue()) {
        long[] values = inbox.take(sender.getKey(), last.getHeader().getStep());
        assertEquals(last.getTotal(), values.length);
      }
    }
    assertNull(inbox.stopReason());
  }
}
