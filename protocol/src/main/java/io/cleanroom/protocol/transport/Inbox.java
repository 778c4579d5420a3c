package io.cleanroom.protocol.transport;

import io.cleanroom.protocol.transport.RefusedBatchException.Reason;
import io.cleanroom.protocol.wire.v1.Batch;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The receiving end of one party in one study: checks every incoming batch and hands whole messages
 * to the protocol.
 *
 * <p>{@link #accept} runs on the network's threads and enforces, per sender: the batch belongs to
 * this study; the sender is another participant (the caller takes the sender's name from its
 * certificate); the sequence number is exactly one more than the last accepted one (a lower one is
 * a replay, a higher one a gap); the step has not been received before; the batches of a message
 * arrive contiguously and the payload is whole ring elements within the size limit. A refused batch
 * from a participant stops the study: every waiting and later {@link #take} fails with the reason.
 * A batch from a non-participant is refused without stopping the study, so a stranger cannot abort
 * it.
 *
 * <p>{@link #take} additionally requires the next message from a sender to be of the step the
 * protocol asks for; anything else means the parties are out of step, and the study stops.
 */
public final class Inbox {

  private static final System.Logger LOG = System.getLogger(Inbox.class.getName());
  private static final Pattern STEP = Pattern.compile("[a-z0-9][a-z0-9/#._:-]{0,127}");
  private static final long POLL_MILLIS = 50;

  private final String studyId;
  private final String self;
  private final long maxElements;
  private final Duration timeout;
  private final Map<String, SenderState> senders = new LinkedHashMap<>();
  private volatile String stopReason;

  /**
   * @param studyId the study this inbox receives for
   * @param self the receiving party
   * @param parties all parties of the study
   * @param maxElements the largest message, in ring elements, that is accepted
   * @param timeout how long {@link #take} waits for a message before the study stops
   */
  public Inbox(
      String studyId, String self, List<String> parties, long maxElements, Duration timeout) {
    if (!parties.contains(self)) {
      throw new IllegalArgumentException("party " + self + " is not in " + parties);
    }
    this.studyId = studyId;
    this.self = self;
    this.maxElements = maxElements;
    this.timeout = timeout;
    for (String p : parties) {
      if (!p.equals(self)) {
        senders.put(p, new SenderState());
      }
    }
  }

  public String studyId() {
    return studyId;
  }

  /** Checks and queues one incoming batch from {@code from}. */
  public void accept(String from, Batch batch) throws RefusedBatchException {
    SenderState s = senders.get(from);
    if (s == null) {
      throw refuse(
          Reason.NOT_A_PARTICIPANT,
          from + " is not a participant of study " + studyId + "; batch refused",
          false);
    }
    String step = batch.getHeader().getStep();
    if (!batch.getHeader().getStudyId().equals(studyId)) {
      throw refuse(
          Reason.FOREIGN_STUDY,
          "batch from "
              + from
              + " names study "
              + batch.getHeader().getStudyId()
              + " on a channel of study "
              + studyId,
          true);
    }
    String stopped = stopReason;
    if (stopped != null) {
      throw new RefusedBatchException(
          Reason.STUDY_STOPPED, "study " + studyId + " has stopped: " + stopped);
    }
    synchronized (s) {
      long seq = batch.getHeader().getSeq();
      if (seq <= s.lastSeq) {
        throw refuse(
            Reason.REPLAYED,
            "replayed batch from "
                + from
                + " in study "
                + studyId
                + ": seq "
                + seq
                + " (step "
                + step
                + "), already accepted up to "
                + s.lastSeq,
            true);
      }
      if (seq != s.lastSeq + 1) {
        throw refuse(
            Reason.OUT_OF_ORDER,
            "out-of-order batch from "
                + from
                + " in study "
                + studyId
                + ": seq "
                + seq
                + " (step "
                + step
                + "), expected "
                + (s.lastSeq + 1),
            true);
      }
      checkStep(from, s, batch);
      checkPayload(from, s, batch);
      s.lastSeq = seq;
      long end = batch.getOffset() + batch.getCount();
      if (end == batch.getTotal()) {
        s.finishedSteps.add(step);
        s.openStep = null;
      } else {
        s.openStep = step;
      }
      s.queue.add(batch);
    }
  }

  private void checkStep(String from, SenderState s, Batch b) throws RefusedBatchException {
    String step = b.getHeader().getStep();
    if (!STEP.matcher(step).matches()) {
      throw refuse(
          Reason.WRONG_STEP,
          "batch from " + from + " in study " + studyId + " has a malformed step name",
          true);
    }
    if (s.openStep != null && !s.openStep.equals(step)) {
      throw refuse(
          Reason.WRONG_STEP,
          "batch from "
              + from
              + " in study "
              + studyId
              + " is for step "
              + step
              + " while the message of step "
              + s.openStep
              + " is incomplete",
          true);
    }
    if (s.finishedSteps.contains(step)) {
      throw refuse(
          Reason.WRONG_STEP,
          "batch from "
              + from
              + " in study "
              + studyId
              + " repeats step "
              + step
              + ", which was already received",
          true);
    }
  }

  private void checkPayload(String from, SenderState s, Batch b) throws RefusedBatchException {
    String where = "batch seq " + b.getHeader().getSeq() + " from " + from + " in study " + studyId;
    if (b.getKind() == Batch.Kind.KIND_UNSPECIFIED || b.getKind() == Batch.Kind.UNRECOGNIZED) {
      throw refuse(Reason.MALFORMED, where + " has no kind", true);
    }
    if (b.getTotal() > maxElements || b.getCount() > Framing.MAX_BATCH_ELEMENTS) {
      throw refuse(
          Reason.TOO_LARGE,
          where
              + " is too large: "
              + b.getCount()
              + " elements of a message of "
              + b.getTotal()
              + "; the limit is "
              + maxElements
              + " per message and "
              + Framing.MAX_BATCH_ELEMENTS
              + " per batch",
          true);
    }
    if (b.getPayload().size() != (long) b.getCount() * Long.BYTES) {
      throw refuse(
          Reason.MALFORMED,
          where
              + " has "
              + b.getPayload().size()
              + " payload bytes for "
              + b.getCount()
              + " elements",
          true);
    }
    long expectedOffset = s.openStep == null ? 0 : s.received;
    if (b.getOffset() != expectedOffset || b.getOffset() + b.getCount() > b.getTotal()) {
      throw refuse(
          Reason.MALFORMED,
          where
              + " covers elements "
              + b.getOffset()
              + ".."
              + (b.getOffset() + b.getCount())
              + " of "
              + b.getTotal()
              + "; expected to start at "
              + expectedOffset,
          true);
    }
    if (b.getCount() == 0 && b.getTotal() != 0) {
      throw refuse(Reason.MALFORMED, where + " is empty inside a message", true);
    }
    s.received = b.getOffset() + b.getCount();
  }

  private RefusedBatchException refuse(Reason reason, String message, boolean stopsStudy) {
    LOG.log(System.Logger.Level.WARNING, "refused: " + message);
    if (stopsStudy) {
      stop(message);
    }
    return new RefusedBatchException(reason, message);
  }

  /**
   * Waits for the whole message of {@code step} from {@code from}.
   *
   * @throws StudyAbortedException if the study stops first, the next message from that sender is of
   *     another step, or none arrives within the timeout
   */
  public long[] take(String from, String step) {
    SenderState s = senders.get(from);
    if (s == null) {
      throw new IllegalArgumentException(from + " is not another participant of " + studyId);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Batch first = poll(s, from, step, deadline);
    long[] out = new long[Math.toIntExact(first.getTotal())];
    Batch b = first;
    while (true) {
      Framing.decodeInto(b, out);
      if (b.getOffset() + b.getCount() == b.getTotal()) {
        return out;
      }
      b = poll(s, from, step, deadline);
    }
  }

  private Batch poll(SenderState s, String from, String step, long deadline) {
    try {
      while (true) {
        String stopped = stopReason;
        if (stopped != null) {
          throw new StudyAbortedException(stopped);
        }
        Batch b = s.queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (b != null) {
          if (!b.getHeader().getStep().equals(step)) {
            String msg =
                "parties out of step in study "
                    + studyId
                    + ": "
                    + self
                    + " expected step "
                    + step
                    + " from "
                    + from
                    + " but received step "
                    + b.getHeader().getStep();
            stop(msg);
            throw new StudyAbortedException(msg);
          }
          return b;
        }
        if (System.nanoTime() > deadline) {
          String msg =
              "no message of step "
                  + step
                  + " from "
                  + from
                  + " in study "
                  + studyId
                  + " within "
                  + timeout.toSeconds()
                  + " s";
          stop(msg);
          throw new StudyAbortedException(msg);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StudyAbortedException("interrupted while waiting for step " + step, e);
    }
  }

  /** Stops the study for this party: waiting and later receives fail with {@code reason}. */
  public void stop(String reason) {
    synchronized (this) {
      if (stopReason == null) {
        stopReason = reason;
      }
    }
  }

  /** Why the study stopped, or null while it runs. */
  public String stopReason() {
    return stopReason;
  }

  private static final class SenderState {
    private final BlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final Set<String> finishedSteps = new HashSet<>();
    private long lastSeq;
    private String openStep;
    private long received;
  }
}
