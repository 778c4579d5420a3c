package io.cleanroom.coordinator.session;

import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Header;
import io.grpc.stub.StreamObserver;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** One connected node: its certificate and the coordinator's side of its control stream. */
public final class NodeSession {
  private final String name;
  private final X509Certificate certificate;
  private final StreamObserver<CoordinatorMessage> out;
  private final AtomicLong bytesSent = new AtomicLong();
  private final Instant opened = Instant.now();
  private long seq;
  private boolean ended;

  NodeSession(String name, X509Certificate certificate, StreamObserver<CoordinatorMessage> out) {
    this.name = name;
    this.certificate = certificate;
    this.out = out;
  }

  public String name() {
    return name;
  }

  /** When the node opened this control session. */
  public Instant opened() {
    return opened;
  }

  /** The node's certificate, against which its signatures are checked. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Sends a control message; returns its size on the wire (0 if the session has ended). */
  public synchronized long send(String studyId, String step, CoordinatorMessage.Builder m) {
    if (ended) {
      return 0;
    }
    CoordinatorMessage msg =
        m.setHeader(Header.newBuilder().setStudyId(studyId).setStep(step).setSeq(++seq)).build();
    out.onNext(msg);
    long size = msg.getSerializedSize();
    bytesSent.addAndGet(size);
    return size;
  }

  synchronized void end() {
    if (!ended) {
      ended = true;
      out.onCompleted();
    }
  }

  synchronized void markEnded() {
    ended = true;
  }
}
