package io.cleanroom.coordinator;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * The response side of a server call, always ready, that keeps what the handler sent and fails on
 * anything a gRPC stream forbids: a message or an end after the end, or an error that is not a
 * {@link Status}.
 */
public final class RecordingObserver<T> extends ServerCallStreamObserver<T> {
  private final List<T> messages = new ArrayList<>();
  private Status error;
  private boolean completed;

  /** The messages sent, in order. */
  public List<T> messages() {
    return messages;
  }

  /** The status the call ended with, or null if it completed normally or has not ended. */
  public Status error() {
    return error;
  }

  /** Whether the call ended, normally or with an error. */
  public boolean ended() {
    return completed || error != null;
  }

  /** Whether the call completed normally. */
  public boolean completed() {
    return completed;
  }

  @Override
  public synchronized void onNext(T value) {
    if (ended()) {
      throw new AssertionError("message after the end of the call");
    }
    messages.add(value);
  }

  @Override
  public synchronized void onError(Throwable t) {
    if (ended()) {
      throw new AssertionError("error after the end of the call", t);
    }
    Status status = Status.fromThrowable(t);
    if (status.getCode() == Status.Code.UNKNOWN) {
      throw new AssertionError("call ended with an error that carries no status", t);
    }
    error = status;
  }

  @Override
  public synchronized void onCompleted() {
    if (ended()) {
      throw new AssertionError("completion after the end of the call");
    }
    completed = true;
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {}

  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {}

  @Override
  public void setCompression(String compression) {}

  @Override
  public void disableAutoInboundFlowControl() {}

  @Override
  public void request(int count) {}

  @Override
  public void setMessageCompression(boolean enable) {}
}
