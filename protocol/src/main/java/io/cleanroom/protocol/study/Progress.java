package io.cleanroom.protocol.study;

/**
 * Where a long step stands: a fraction 0..1 of its work, reported by the code doing the work. A
 * node's reports within a phase go to the coordinator as not-done step reports (see {@link
 * ProgressThrottle} for how often); they carry only the fraction, which is derived from public
 * sizes (iterations, batches, epochs), never from data.
 */
@FunctionalInterface
public interface Progress {

  /** Progress that goes nowhere. */
  Progress NONE = fraction -> {};

  /** Reports that {@code fraction} (0..1) of the work is done. */
  void report(double fraction);

  /**
   * The progress of a part of the work that spans {@code from}..{@code to} of this one: its 0..1
   * maps onto that range.
   */
  default Progress part(double from, double to) {
    if (!(0 <= from && from <= to && to <= 1)) {
      throw new IllegalArgumentException(
          "a part spans 0 <= from <= to <= 1, not " + from + ".." + to);
    }
    return fraction -> report(from + (to - from) * Math.max(0, Math.min(1, fraction)));
  }

  /** Reports {@code done} of {@code total} units of work (nothing when total is 0). */
  default void report(long done, long total) {
    if (total > 0) {
      report((double) done / total);
    }
  }
}
