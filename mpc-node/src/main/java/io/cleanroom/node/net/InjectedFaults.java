package io.cleanroom.node.net;

import io.cleanroom.node.config.NodeConfig;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For testing only: the faults of a node's configuration ({@link NodeConfig.Faults}) applied to the
 * messages it sends on one channel, a peer's share exchange or its control session with the
 * coordinator. Each message first waits the configured delay; every message after the first {@code
 * dropAfter} is dropped instead. Never configured in production.
 */
public final class InjectedFaults {
  private final NodeConfig.Faults faults;
  private final AtomicLong counted = new AtomicLong();

  private InjectedFaults(NodeConfig.Faults faults) {
    this.faults = faults;
  }

  /** A fresh count of {@code faults}, or null if there are none. */
  public static InjectedFaults of(NodeConfig.Faults faults) {
    return faults == null ? null : new InjectedFaults(faults);
  }

  /** Whether the faults apply to the messages sent to {@code party}. */
  public boolean affects(String party) {
    return faults.peer().equals(party);
  }

  /**
   * Applies the faults to one message about to be sent.
   *
   * @return false if the message must be dropped
   * @throws InterruptedException if interrupted during the delay
   */
  public boolean pass() throws InterruptedException {
    if (faults.dropAfter() != null && counted.incrementAndGet() > faults.dropAfter()) {
      return false;
    }
    if (faults.delayMs() != null && faults.delayMs() > 0) {
      Thread.sleep(faults.delayMs());
    }
    return true;
  }
}
