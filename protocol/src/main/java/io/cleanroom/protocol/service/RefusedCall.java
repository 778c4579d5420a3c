package io.cleanroom.protocol.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A call a service refuses, with the gRPC status the caller receives; the message is the reason,
 * logged and sent as the status description.
 */
public final class RefusedCall extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Status status;

  public RefusedCall(Status status, String reason) {
    super(reason);
    this.status = status;
  }

  /** The status to close the call with, carrying the reason. */
  public StatusRuntimeException toStatus() {
    return status.withDescription(getMessage()).asRuntimeException();
  }

  public Status status() {
    return status;
  }
}
