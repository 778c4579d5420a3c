package io.cleanroom.coordinator.study;

import io.cleanroom.protocol.status.EndedStudies;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The coordinator's live view of its studies, fed by the progress every {@link StudyDriver} run
 * reports: state, current phase and the progress of each phase, from the study's start to its
 * summary. The console and the status service read it; nothing here is secret (the same fields go
 * to the operator who started the study).
 *
 * <p>Thread-safe: drivers write from their study threads, readers take immutable snapshots.
 */
public final class StudyBoard {

  /** How many ended studies the board keeps; older ones are still in the records. */
  public static final int KEEP_ENDED = EndedStudies.KEEP;

  private final Clock clock;
  private final Map<String, Entry> studies = new LinkedHashMap<>();

  public StudyBoard() {
    this(Clock.systemUTC());
  }

  StudyBoard(Clock clock) {
    this.clock = clock;
  }

  /**
   * One phase of a study as last reported: its progress 0..1 and when it started and ended. A phase
   * has ended when it reported progress 1, when the next phase started, or when the study was
   * destroyed; the phase an aborted study was in keeps the progress it had.
   */
  public record PhaseView(String name, double progress, Instant started, Instant ended) {}

  /**
   * A snapshot of one study.
   *
   * @param phases in the order they started
   * @param summary present once the study ended
   */
  public record StudyView(
      String id,
      String task,
      List<String> participants,
      String state,
      String phase,
      String message,
      Instant started,
      Instant updated,
      List<PhaseView> phases,
      Optional<StudySummary> summary) {

    /** Whether the study reached DESTROYED or ABORTED. */
    public boolean ended() {
      return summary.isPresent();
    }
  }

  /**
   * Returns a progress listener for a study about to run with {@code plan}, which records every
   * message on this board and then passes it to {@code downstream}.
   */
  public Consumer<StudyProgress> track(StudyPlan plan, Consumer<StudyProgress> downstream) {
    return p -> {
      record(plan, p);
      downstream.accept(p);
    };
  }

  /** Snapshots of all studies on the board, oldest first. */
  public synchronized List<StudyView> studies() {
    List<StudyView> views = new ArrayList<>(studies.size());
    for (Entry e : studies.values()) {
      views.add(e.view());
    }
    return views;
  }

  /** A snapshot of one study, if it is on the board. */
  public synchronized Optional<StudyView> study(String id) {
    Entry e = studies.get(id);
    return e == null ? Optional.empty() : Optional.of(e.view());
  }

  private synchronized void record(StudyPlan plan, StudyProgress p) {
    if (p.getStudyId().isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Entry e =
        studies.computeIfAbsent(
            p.getStudyId(),
            id -> new Entry(id, plan.getTask(), List.copyOf(plan.getParticipantsList()), now));
    e.update(p, now);
    trim();
  }

  private void trim() {
    EndedStudies.trim(studies.values(), e -> e.summary != null);
  }

  private static final class Entry {
    final String id;
    final String task;
    final List<String> participants;
    final Instant started;
    final Map<String, PhaseView> phases = new LinkedHashMap<>();
    String state = "";
    String phase = "";
    String message = "";
    Instant updated;
    StudySummary summary;

    Entry(String id, String task, List<String> participants, Instant started) {
      this.id = id;
      this.task = task;
      this.participants = participants;
      this.started = started;
      this.updated = started;
    }

    void update(StudyProgress p, Instant now) {
      updated = now;
      if (!p.getState().isEmpty()) {
        state = p.getState();
      }
      message = p.getMessage();
      if (!p.getPhase().isEmpty()) {
        if (!p.getPhase().equals(phase)) {
          finish(phase, now); // phases run one after the other: the one before has ended
        }
        phase = p.getPhase();
        PhaseView before = phases.get(phase);
        Instant phaseStart = before == null ? now : before.started();
        double fraction = Math.max(0, Math.min(1, p.getProgress()));
        phases.put(phase, new PhaseView(phase, fraction, phaseStart, fraction >= 1 ? now : null));
      }
      if (p.hasSummary()) {
        summary = p.getSummary();
        state = summary.getState();
        if (state.equals("DESTROYED")) {
          finish(phase, now);
        }
      }
    }

    /** Marks {@code name} complete, if it is a phase that has not reported completion. */
    private void finish(String name, Instant now) {
      PhaseView v = phases.get(name);
      if (v != null && v.ended() == null) {
        phases.put(name, new PhaseView(name, 1, v.started(), now));
      }
    }

    StudyView view() {
      return new StudyView(
          id,
          task,
          participants,
          state,
          phase,
          message,
          started,
          updated,
          List.copyOf(phases.values()),
          Optional.ofNullable(summary));
    }
  }
}
