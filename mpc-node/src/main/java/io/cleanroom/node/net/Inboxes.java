package io.cleanroom.node.net;

import io.cleanroom.protocol.transport.Inbox;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The inboxes of the studies this node is running, by study id. */
public final class Inboxes {
  private final ConcurrentMap<String, Inbox> byStudy = new ConcurrentHashMap<>();

  public void register(Inbox inbox) {
    if (byStudy.putIfAbsent(inbox.studyId(), inbox) != null) {
      throw new IllegalStateException("study " + inbox.studyId() + " is already running");
    }
  }

  /** The inbox of {@code studyId}, or null when this node is not running that study. */
  public Inbox get(String studyId) {
    return byStudy.get(studyId);
  }

  public void remove(String studyId) {
    byStudy.remove(studyId);
  }
}
