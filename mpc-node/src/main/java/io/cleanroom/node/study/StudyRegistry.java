package io.cleanroom.node.study;

import io.cleanroom.protocol.status.EndedStudies;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.wire.v1.PhaseStatus;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's own view of the studies it joined, for its status service: each study's plan
 * (participants and task), the state the node derived from the steps it ran, and the start, end and
 * progress of each phase. {@link CoordinatorLink} records every lifecycle event here: join, step
 * start, step done, abort and close.
 *
 * <p>Nothing here is secret: it is what the node's control messages to and from the coordinator
 * already carry (no data, shares or totals).
 *
 * <p>Thread-safe: the control session and the step threads write, the status service reads
 * snapshots. Events for a study the registry does not know are ignored.
 */
public final class StudyRegistry {

  /** How many ended studies the registry keeps; older ones are forgotten, oldest first. */
  public static final int KEEP_ENDED = EndedStudies.KEEP;

  private final Clock clock;
  private final Map<String, Entry> studies = new LinkedHashMap<>();

  public StudyRegistry() {
    this(Clock.systemUTC());
  }

  /** A registry that reads the time from {@code clock}. */
  public StudyRegistry(Clock clock) {
    this.clock = clock;
  }

  /** The node joined the study of {@code plan}: it is OPEN. */
  public synchronized void joined(StudyPlan plan) {
    Instant now = clock.instant();
    studies.put(plan.getStudyId(), new Entry(plan, now));
    trim();
  }

  /**
   * The node started {@code phase} (a phase of the task, or the lifecycle steps {@value
   * StudyState#RELEASE_STEP} and {@value StudyState#DESTROY_STEP}). Starting the release step means
   * the coordinator logged the study's report: the study is REPORTED.
   */
  public synchronized void stepStarted(String studyId, String phase) {
    Entry e = running(studyId);
    if (e == null) {
      return;
    }
    Instant now = clock.instant();
    e.phase = phase;
    e.phases.put(phase, new Phase(phase, 0, now, null));
    if (StudyState.RELEASE_STEP.equals(phase)) {
      e.state = StudyState.REPORTED;
    }
    e.updated = now;
  }

  /** Progress {@code fraction} (0..1) within a running phase, e.g. from a long phase's reports. */
  public synchronized void progress(String studyId, String phase, double fraction) {
    Entry e = running(studyId);
    Phase p = e == null ? null : e.phases.get(phase);
    if (p == null || p.ended != null) {
      return;
    }
    e.phases.put(phase, new Phase(phase, Math.max(0, Math.min(1, fraction)), p.started, null));
    e.updated = clock.instant();
  }

  /** The node finished {@code phase}; the study reaches the state the phase moves it to, if any. */
  public synchronized void stepDone(String studyId, String phase) {
    Entry e = running(studyId);
    if (e == null) {
      return;
    }
    Instant now = clock.instant();
    Phase p = e.phases.get(phase);
    e.phases.put(phase, new Phase(phase, 1, p == null ? now : p.started, now));
    StudyState.reachedBy(phase).ifPresent(s -> e.state = s);
    e.updated = now;
  }

  /** The study was aborted, by this node or by the coordinator, for {@code reason}. */
  public synchronized void aborted(String studyId, String reason) {
    Entry e = running(studyId);
    if (e == null) {
      return;
    }
    e.state = StudyState.ABORTED;
    e.abortReason = reason;
    e.ended = e.updated = clock.instant();
    trim();
  }

  /** The coordinator closed the study in final state {@code state} (DESTROYED). */
  public synchronized void closed(String studyId, String state) {
    Entry e = running(studyId);
    if (e == null) {
      return;
    }
    StudyState s;
    try {
      s = StudyState.valueOf(state);
    } catch (IllegalArgumentException unknown) {
      s = StudyState.DESTROYED;
    }
    e.state = s.isFinal() ? s : StudyState.DESTROYED;
    e.ended = e.updated = clock.instant();
    trim();
  }

  /** Snapshots of every study this node knows, oldest first. */
  public synchronized List<StudyStatusReply> studies() {
    List<StudyStatusReply> out = new ArrayList<>(studies.size());
    for (Entry e : studies.values()) {
      out.add(e.reply());
    }
    return out;
  }

  /** A snapshot of one study, if the node knows it. */
  public synchronized Optional<StudyStatusReply> study(String studyId) {
    Entry e = studies.get(studyId);
    return e == null ? Optional.empty() : Optional.of(e.reply());
  }

  private Entry running(String studyId) {
    Entry e = studies.get(studyId);
    return e == null || e.ended != null ? null : e;
  }

  private void trim() {
    EndedStudies.trim(studies.values(), e -> e.ended != null);
  }

  private record Phase(String name, double progress, Instant started, Instant ended) {}

  private static final class Entry {
    final StudyPlan plan;
    final Instant started;
    final Map<String, Phase> phases = new LinkedHashMap<>();
    StudyState state = StudyState.OPEN;
    String phase = "";
    String abortReason = "";
    Instant updated;
    Instant ended;

    Entry(StudyPlan plan, Instant started) {
      this.plan = plan;
      this.started = started;
      this.updated = started;
    }

    StudyStatusReply reply() {
      StudyStatusReply.Builder r =
          StudyStatusReply.newBuilder()
              .setStudyId(plan.getStudyId())
              .setTask(plan.getTask())
              .addAllParticipants(plan.getParticipantsList())
              .setState(StudyStatusReply.State.valueOf(state.name()))
              .setPhase(phase)
              .setStartedAtMillis(started.toEpochMilli())
              .setUpdatedAtMillis(updated.toEpochMilli())
              .setEndedAtMillis(ended == null ? 0 : ended.toEpochMilli())
              .setAbortReason(abortReason);
      for (Phase p : phases.values()) {
        r.addPhases(
            PhaseStatus.newBuilder()
                .setName(p.name)
                .setProgress(p.progress)
                .setStartedAtMillis(p.started.toEpochMilli())
                .setEndedAtMillis(p.ended == null ? 0 : p.ended.toEpochMilli()));
      }
      return r.build();
    }
  }
}
