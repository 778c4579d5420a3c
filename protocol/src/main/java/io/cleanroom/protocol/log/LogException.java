package io.cleanroom.protocol.log;

/**
 * The protocol log, one of its records, a proof or a checkpoint is not what it must be. The message
 * names what failed and where (entry index, tree sizes, byte offset).
 */
public class LogException extends Exception {
  private static final long serialVersionUID = 1L;

  public LogException(String message) {
    super(message);
  }

  public LogException(String message, Throwable cause) {
    super(message, cause);
  }
}
