package io.cleanroom.coordinator.study;

/** A study cannot continue; the message is the reason recorded and sent to every participant. */
final class StudyFailure extends Exception {
  private static final long serialVersionUID = 1L;

  StudyFailure(String message) {
    super(message);
  }
}
