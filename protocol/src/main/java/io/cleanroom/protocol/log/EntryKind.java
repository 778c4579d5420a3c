package io.cleanroom.protocol.log;

/** What a {@link LogEntry} records about a study. */
public enum EntryKind {
  /** The study plan as submitted and assigned an id. */
  PLAN,
  /** A participant joined, with its signature over the plan digest. */
  JOIN,
  /** A protocol step began. */
  STEP_START,
  /** A protocol step ended, with its byte counts. */
  STEP_END,
  /** Values the participants agreed to open were released. */
  RELEASE,
  /** The study report. */
  REPORT,
  /** A participant confirmed that it destroyed its shares. */
  DESTRUCTION,
  /** The study was aborted, with the reason. */
  ABORT,
  /** Any other change of the study's state. */
  STATE
}
