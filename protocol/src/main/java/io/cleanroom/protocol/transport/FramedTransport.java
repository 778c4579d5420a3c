package io.cleanroom.protocol.transport;

import io.cleanroom.protocol.wire.v1.Batch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part of every {@link Transport} that does not depend on the network: sequence numbering per
 * directed channel, framing into batches, byte accounting, and receiving through an {@link Inbox}.
 * Subclasses only deliver a batch to a party.
 */
public abstract class FramedTransport implements Transport {

  private final String studyId;
  private final String self;
  private final List<String> parties;
  private final Inbox inbox;
  private final Map<String, AtomicLong> nextSeq = new HashMap<>();
  private final AtomicLong bytesSent = new AtomicLong();

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
    for (Batch b : Framing.split(studyId, step, kind, values, seq::incrementAndGet)) {
      bytesSent.addAndGet(b.getSerializedSize());
      deliver(to, b);
    }
  }

  @Override
  public final long[] receive(String from, String step) {
    return inbox.take(from, step);
  }

  @Override
  public final long bytesSent() {
    return bytesSent.get();
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
}
