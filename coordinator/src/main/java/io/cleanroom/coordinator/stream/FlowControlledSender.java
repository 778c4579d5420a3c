package io.cleanroom.coordinator.stream;

import io.grpc.Status;
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
  private final ToLongFunction<T> onSent;
  private Iterator<T> messages;
  private boolean done;

  private FlowControlledSender(ServerCallStreamObserver<T> out, ToLongFunction<T> onSent) {
    this.out = out;
    this.onSent = onSent;
  }

  /**
   * Registers with a server call, which gRPC allows only while the service method runs; sending
   * starts with {@link #send(Iterator)}, which may come later and from any thread.
   *
   * @param out a server call's response observer
   * @param onSent sees every message sent (e.g. to count bytes)
   */
  public static <T> FlowControlledSender<T> prepare(
      StreamObserver<T> out, ToLongFunction<T> onSent) {
    FlowControlledSender<T> s =
        new FlowControlledSender<>((ServerCallStreamObserver<T>) out, onSent);
    s.out.setOnReadyHandler(s);
    return s;
  }

  /** {@link #prepare} and {@link #send(Iterator)} at once, from within the service method. */
  public static <T> void send(
      StreamObserver<T> out, Iterator<T> messages, ToLongFunction<T> onSent) {
    prepare(out, onSent).send(messages);
  }

  /** Starts sending {@code messages}; completes the stream after the last. */
  public void send(Iterator<T> messages) {
    synchronized (this) {
      this.messages = messages;
    }
    run();
  }

  /**
   * Sends while the receiver has room. A message that cannot be produced ends the stream with the
   * error's status ({@code UNKNOWN} unless it carries one).
   */
  @Override
  public synchronized void run() {
    try {
      while (messages != null && !done && out.isReady() && !out.isCancelled()) {
        if (!messages.hasNext()) {
          done = true;
          out.onCompleted();
          return;
        }
        T m = messages.next();
        out.onNext(m);
        onSent.applyAsLong(m);
      }
    } catch (RuntimeException e) {
      done = true;
      out.onError(Status.fromThrowable(e).asRuntimeException());
    }
  }
}
