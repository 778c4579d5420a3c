package io.cleanroom.protocol.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle of a study, which the coordinator drives and records in the study's protocol log:
 *
 * <pre>
 * OPEN → LINKED → RISK → TRAINED → REPORTED → DESTROYED
 *   └───────┴───────┴───────┴──────────┴──→ ABORTED
 * </pre>
 *
 * <p>A study passes only through the states its task's phases reach ({@link #path}): the {@code
 * link} phase reaches LINKED, {@code propagate} RISK, {@code train} and {@code fit} TRAINED; other
 * phases ({@code load}, {@code aggregate}, {@code multiply}, and {@code evaluate}, which evaluates
 * the trained model) leave the state as it is. After the last phase the coordinator reports
 * (REPORTED), the nodes release their outputs and then destroy their session stores (DESTROYED). A
 * study may be aborted from any state that is not final. Coordinator and nodes both derive the
 * states from here so they cannot disagree.
 */
public enum StudyState {
  /** The plan is logged; participants are joining and the phases run. */
  OPEN,
  /** The joint graph over handles exists. */
  LINKED,
  /** Every bank holds the linked risk of its own accounts. */
  RISK,
  /** The joint model is trained (and, in a fraud study, then evaluated for the report). */
  TRAINED,
  /** The study's report is logged; outputs may be released. */
  REPORTED,
  /** Every participant destroyed its session store and its receipt is logged. Final. */
  DESTROYED,
  /** The study stopped before DESTROYED; its reason is logged. Final. */
  ABORTED;

  /**
   * The step, after {@link #REPORTED}, at which each node moves its staged outputs into the place
   * where it keeps them and reports their digests.
   */
  public static final String RELEASE_STEP = "release";

  /** The step at which each node destroys its session store and returns a signed receipt. */
  public static final String DESTROY_STEP = "destroy";

  /** The state a study reaches when phase {@code phase} ends, if the phase moves it. */
  public static Optional<StudyState> reachedBy(String phase) {
    return switch (phase) {
      case "link" -> Optional.of(LINKED);
      case "propagate" -> Optional.of(RISK);
      case "train", "fit" -> Optional.of(TRAINED);
      default -> Optional.empty();
    };
  }

  /**
   * The states a successful study of {@code task} goes through, in order, from OPEN to DESTROYED.
   *
   * @throws IllegalArgumentException if the task is unknown
   */
  public static List<StudyState> path(String task) {
    List<StudyState> path = new ArrayList<>();
    path.add(OPEN);
    for (String phase : Tasks.phases(task)) {
      reachedBy(phase).ifPresent(path::add);
    }
    path.add(REPORTED);
    path.add(DESTROYED);
    return List.copyOf(path);
  }

  /** Whether nothing can follow this state. */
  public boolean isFinal() {
    return this == DESTROYED || this == ABORTED;
  }

  /**
   * Whether a study of {@code task} in this state may move to {@code next}: to the next state of
   * the task's {@link #path}, or to ABORTED from any state that is not final.
   */
  public boolean canMoveTo(StudyState next, String task) {
    if (isFinal()) {
      return false;
    }
    if (next == ABORTED) {
      return true;
    }
    List<StudyState> path = path(task);
    int at = path.indexOf(this);
    return at >= 0 && at + 1 < path.size() && path.get(at + 1) == next;
  }
}
