package io.cleanroom.coordinator.session;

import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.Welcome;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The {@code Coordination.Session} service: keeps one control session per connected node and routes
 * what nodes say about a study to that study's driver. A node is whoever its client certificate
 * says; a message out of sequence or for a study the node is not part of is refused with a log
 * line.
 */
public final class NodeSessions extends CoordinationGrpc.CoordinationImplBase {

  private static final System.Logger LOG = System.getLogger(NodeSessions.class.getName());
  private static final String VERSION = "cleanroom/1";

  private final Map<String, NodeSession> connected = new ConcurrentHashMap<>();
  private final Map<String, Listener> studies = new ConcurrentHashMap<>();

  private record Listener(Set<String> participants, Consumer<NodeEvent> sink) {}

  /** The session of {@code node}, or null when it is not connected. */
  public NodeSession session(String node) {
    return connected.get(node);
  }

  /** The nodes connected now (their hello received), by name. */
  public List<NodeSession> connected() {
    return connected.values().stream().sorted(Comparator.comparing(NodeSession::name)).toList();
  }

  /** Routes events of study {@code studyId} from its participants to {@code sink}. */
  public void listen(String studyId, Set<String> participants, Consumer<NodeEvent> sink) {
    studies.put(studyId, new Listener(Set.copyOf(participants), sink));
  }

  public void unlisten(String studyId) {
    studies.remove(studyId);
  }

  /** Ends every session, e.g. at shutdown. */
  public void endAll() {
    connected.values().forEach(NodeSession::end);
  }

  @Override
  public StreamObserver<NodeMessage> session(StreamObserver<CoordinatorMessage> responses) {
    PartyIdentity peer = PeerIdentityInterceptor.current();
    X509Certificate cert = PeerIdentityInterceptor.currentCertificate();
    if (peer.role() != Role.NODE) {
      String reason = peer + " is not a bank node; control sessions are for nodes";
      LOG.log(System.Logger.Level.WARNING, "refused: " + reason);
      responses.onError(Status.PERMISSION_DENIED.withDescription(reason).asRuntimeException());
      return new Ignore();
    }
    NodeSession session = new NodeSession(peer.name(), cert, responses);
    return new StreamObserver<>() {
      private long seq;
      private boolean refused;

      @Override
      public void onNext(NodeMessage m) {
        if (refused) {
          return;
        }
        if (m.getHeader().getSeq() != seq + 1) {
          refuse(
              "control message from "
                  + peer.name()
                  + " out of sequence: seq "
                  + m.getHeader().getSeq()
                  + ", expected "
                  + (seq + 1));
          return;
        }
        seq = m.getHeader().getSeq();
        if (m.hasHello()) {
          NodeSession previous = connected.put(peer.name(), session);
          if (previous != null) {
            previous.end();
          }
          session.send(
              "",
              "control/welcome",
              CoordinatorMessage.newBuilder().setWelcome(Welcome.newBuilder().setVersion(VERSION)));
          LOG.log(
              System.Logger.Level.INFO,
              peer.name() + " connected (" + m.getHello().getVersion() + ")");
          return;
        }
        if (connected.get(peer.name()) != session) {
          refuse("control message from " + peer.name() + " before its hello");
          return;
        }
        String study = m.getHeader().getStudyId();
        Listener l = studies.get(study);
        if (l == null || !l.participants().contains(peer.name())) {
          LOG.log(
              System.Logger.Level.WARNING,
              "refused: "
                  + m.getBodyCase()
                  + " from "
                  + peer.name()
                  + " for study \""
                  + study
                  + "\", which it is not running with this coordinator");
          return;
        }
        l.sink().accept(new NodeEvent(peer.name(), m, m.getSerializedSize(), null));
      }

      private void refuse(String reason) {
        refused = true;
        LOG.log(System.Logger.Level.WARNING, "refused: " + reason);
        // The session is marked ended before the call closes, so that nothing sends on it after.
        lost(reason);
        responses.onError(Status.FAILED_PRECONDITION.withDescription(reason).asRuntimeException());
      }

      @Override
      public void onError(Throwable t) {
        Status s = Status.fromThrowable(t);
        lost(
            "control session of "
                + peer.name()
                + " failed: "
                + s.getCode()
                + (s.getDescription() == null ? "" : " (" + s.getDescription() + ")"));
      }

      @Override
      public void onCompleted() {
        session.end();
        lost(peer.name() + " closed its control session");
      }

      private void lost(String reason) {
        session.markEnded();
        if (connected.remove(peer.name(), session)) {
          LOG.log(System.Logger.Level.INFO, reason);
          for (Listener l : studies.values()) {
            if (l.participants().contains(peer.name())) {
              l.sink().accept(new NodeEvent(peer.name(), null, 0, reason));
            }
          }
        }
      }
    };
  }

  private static final class Ignore implements StreamObserver<NodeMessage> {
    @Override
    public void onNext(NodeMessage value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
