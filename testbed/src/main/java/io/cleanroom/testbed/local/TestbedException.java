package io.cleanroom.testbed.local;

/** The local testbed could not run the study; the message says which part failed and why. */
public final class TestbedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TestbedException(String message) {
    super(message);
  }

  public TestbedException(String message, Throwable cause) {
    super(message, cause);
  }
}
