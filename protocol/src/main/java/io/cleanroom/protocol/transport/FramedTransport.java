package io.cleanroom.protocol.transport;

import io.cleanroom.protocol.wire.v1.Batch;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of every {@link Transport} that does not depend on the network: sequence numbering per
 * directed channel, framing into batches, byte accounting, a running SHA-256 per directed channel
 * of what was sent (for the protocol log: digests, never contents), and receiving through an {@link
 * Inbox}. Subclasses only deliver a batch to a party.
 */
public abstract class FramedTransport implements Transport {

  private final String studyId;
  private final String self;
  private final List<String> parties;
  private final Inbox inbox;
  private final Map<String, AtomicLong> nextSeq = new HashMap<>();
  private final Map<String, SentDigest> sentDigests = new LinkedHashMap<>();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong batchesSent = new AtomicLong();

  protected FramedTransport(String studyId, String self, List<String> parties, Inbox inbox) {
    if (!inbox.studyId().equals(studyId)) {
      throw new IllegalArgumentException("inbox of study " + inbox.studyId() + " for " + studyId);
    }
    this.studyId = studyId;
    this.self = self;
    this.parties = List.copyOf(parties);
    this.inbox = inbox;
    for (String p : parties) {
      if (!p.equals(self)) {
        nextSeq.put(p, new AtomicLong());
        sentDigests.put(p, new SentDigest());
      }
    }
  }

  @Override
  public final String studyId() {
    return studyId;
  }

  @Override
  public final String self() {
    return self;
  }

  @Override
  public final List<String> parties() {
    return parties;
  }

  @Override
  public final void send(String to, String step, Batch.Kind kind, long[] values) {
    AtomicLong seq = nextSeq.get(to);
    if (seq == null) {
      throw new IllegalArgumentException(to + " is not another party of study " + studyId);
    }
    String stopped = inbox.stopReason();
    if (stopped != null) {
      throw new StudyAbortedException(stopped);
    }
    SentDigest digest = sentDigests.get(to);
    for (Batch b : Framing.split(studyId, step, kind, values, seq::incrementAndGet)) {
      bytesSent.addAndGet(b.getSerializedSize());
      batchesSent.incrementAndGet();
      digest.add(b);
      deliver(to, b);
    }
  }

  /**
   * Per other party, in party order: SHA-256 over the wire encoding of every batch sent to it since
   * the previous call (or since the transport was made), in the order sent; then starts afresh.
   */
  public final Map<String, byte[]> takeSentDigests() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    sentDigests.forEach((party, digest) -> out.put(party, digest.take()));
    return out;
  }

  @Override
  public final long[] receive(String from, String step) {
    return inbox.take(from, step);
  }

  @Override
  public final long bytesSent() {
    return bytesSent.get();
  }

  /** The number of batches sent to other parties since the transport was made. */
  public final long batchesSent() {
    return batchesSent.get();
  }

  /** The inbox this party receives through. */
  public final Inbox inbox() {
    return inbox;
  }

  /**
   * Delivers one batch to party {@code to}, in order with the batches delivered before it.
   *
   * @throws StudyAbortedException if the batch cannot be delivered
   */
  protected abstract void deliver(String to, Batch batch);

  /** A running SHA-256 of the batches sent on one directed channel. */
  private static final class SentDigest extends OutputStream {
    private final MessageDigest sha256;

    SentDigest() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }

    synchronized void add(Batch batch) {
      try {
        // Streams the encoding into the digest; large payloads are not copied.
        batch.writeTo(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    synchronized byte[] take() {
      return sha256.digest();
    }

    @Override
    public void write(int b) {
      sha256.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      sha256.update(b, off, len);
    }
  }
}
