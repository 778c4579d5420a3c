package io.cleanroom.protocol.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cleanroom.protocol.wire.v1.Batch;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FramedTransportTest {

  private static final List<String> PARTIES = List.of("bank-a", "bank-b", "bank-c");

  /** Keeps every delivered batch. */
  private static final class Recording extends FramedTransport {
    final Map<String, List<Batch>> delivered = new LinkedHashMap<>();

    Recording() {
      super(
          "st-1",
          "bank-a",
          PARTIES,
          new Inbox("st-1", "bank-a", PARTIES, 1 << 20, Duration.ofSeconds(1)));
    }

    @Override
    protected void deliver(String to, Batch batch) {
      delivered.computeIfAbsent(to, k -> new ArrayList<>()).add(batch);
    }
  }

  private static byte[] sha256(List<Batch> batches) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    for (Batch b : batches) {
      d.update(b.toByteArray());
    }
    return d.digest();
  }

  @Test
  void sentDigests_coverTheWireEncodingPerReceiver_andStartAfreshAfterEachTake() throws Exception {
    Recording t = new Recording();
    t.send("bank-b", "s/1", Batch.Kind.SHARES, new long[] {1, 2, 3});
    // more than one batch
    t.send("bank-b", "s/2", Batch.Kind.OPENING, new long[Framing.MAX_BATCH_ELEMENTS + 5]);
    Map<String, byte[]> first = t.takeSentDigests();
    assertEquals(List.of("bank-b", "bank-c"), List.copyOf(first.keySet()));
    assertEquals(3, t.delivered.get("bank-b").size());
    assertArrayEquals(sha256(t.delivered.get("bank-b")), first.get("bank-b"));
    assertArrayEquals(sha256(List.of()), first.get("bank-c"));

    t.send("bank-c", "s/3", Batch.Kind.SHARES, new long[] {4});
    Map<String, byte[]> second = t.takeSentDigests();
    assertArrayEquals(sha256(List.of()), second.get("bank-b"));
    assertArrayEquals(sha256(t.delivered.get("bank-c")), second.get("bank-c"));
  }
}
