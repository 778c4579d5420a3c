package io.cleanroom.protocol.transport;

/** Thrown to a protocol waiting on a study that stopped; the message gives the reason. */
public final class StudyAbortedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StudyAbortedException(String message) {
    super(message);
  }

  public StudyAbortedException(String message, Throwable cause) {
    super(message, cause);
  }
}
