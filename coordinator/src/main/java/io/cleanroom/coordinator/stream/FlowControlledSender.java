package io.cleanroom.coordinator.stream;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.function.ToLongFunction;

/**
 * Sends the messages of an iterator on a server stream only while the receiver's flow-control
 * window has room, resuming when gRPC says the stream is ready again, so a slow node holds back the
 * sender instead of filling the coordinator's memory. Completes the stream at the end.
 */
public final class FlowControlledSender<T> implements Runnable {
  private final ServerCallStreamObserver<T> out;
  private final Iterator<T> messages;
  private final ToLongFunction<T> onSent;
  private boolean done;

  private FlowControlledSender(
      ServerCallStreamObserver<T> out, Iterator<T> messages, ToLongFunction<T> onSent) {
    this.out = out;
    this.messages = messages;
    this.onSent = onSent;
  }

  /**
   * Starts sending; {@code onSent} sees every message sent (e.g. to count bytes).
   *
   * @param out a server call's response observer
   */
  public static <T> void send(
      StreamObserver<T> out, Iterator<T> messages, ToLongFunction<T> onSent) {
    FlowControlledSender<T> s =
        new FlowControlledSender<>((ServerCallStreamObserver<T>) out, messages, onSent);
    s.out.setOnReadyHandler(s);
    s.run();
  }

  @Override
  public synchronized void run() {
    while (!done && out.isReady() && !out.isCancelled()) {
      if (!messages.hasNext()) {
        done = true;
        out.onCompleted();
        return;
      }
      T m = messages.next();
      out.onNext(m);
      onSent.applyAsLong(m);
    }
  }
}
