package io.cleanroom.protocol.transport;

import io.cleanroom.protocol.wire.v1.Batch;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All parties of one study in one JVM, for unit tests: each party's batches go straight into the
 * receiving party's {@link Inbox}, through exactly the checks the gRPC transport applies.
 */
public final class InMemoryNetwork {

  private final Map<String, Inbox> inboxes = new LinkedHashMap<>();
  private final Map<String, Transport> transports = new LinkedHashMap<>();

  public InMemoryNetwork(String studyId, List<String> parties, Duration timeout) {
    for (String p : parties) {
      inboxes.put(p, new Inbox(studyId, p, parties, Integer.MAX_VALUE, timeout));
    }
    for (String p : parties) {
      transports.put(p, new InMemoryTransport(studyId, p, parties, inboxes.get(p)));
    }
  }

  /** The transport of party {@code party}. */
  public Transport transport(String party) {
    Transport t = transports.get(party);
    if (t == null) {
      throw new IllegalArgumentException("no party " + party);
    }
    return t;
  }

  /** The inbox of party {@code party}, for tests that deliver hand-made batches. */
  public Inbox inbox(String party) {
    return inboxes.get(party);
  }

  /** Stops the study at every party. */
  public void stopAll(String reason) {
    inboxes.values().forEach(i -> i.stop(reason));
  }

  private final class InMemoryTransport extends FramedTransport {
    InMemoryTransport(String studyId, String self, List<String> parties, Inbox inbox) {
      super(studyId, self, parties, inbox);
    }

    @Override
    protected void deliver(String to, Batch batch) {
      try {
        inboxes.get(to).accept(self(), batch);
      } catch (RefusedBatchException e) {
        throw new StudyAbortedException(to + " refused a batch: " + e.getMessage(), e);
      }
    }
  }
}
