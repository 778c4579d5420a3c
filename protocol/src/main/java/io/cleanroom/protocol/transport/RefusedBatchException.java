package io.cleanroom.protocol.transport;

/**
 * An incoming batch that does not fit the study: foreign study, sender not a participant, replayed
 * or out-of-order sequence number, a step that is not the expected one, or a malformed payload. The
 * receiver refuses it and the study does not continue.
 */
public final class RefusedBatchException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a batch was refused; transports map it to their own error codes. */
  public enum Reason {
    FOREIGN_STUDY,
    NOT_A_PARTICIPANT,
    REPLAYED,
    OUT_OF_ORDER,
    WRONG_STEP,
    MALFORMED,
    TOO_LARGE,
    STUDY_STOPPED
  }

  private final Reason reason;

  public RefusedBatchException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
