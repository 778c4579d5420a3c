package io.cleanroom.protocol.study;

import java.util.function.LongSupplier;

/**
 * Decides which progress fractions are worth passing on: at most one per {@code interval} and only
 * when the fraction moved by at least {@code minStep} since the last one passed; fractions that are
 * not finite, outside 0..1 or lower than the last one passed are never passed. Not thread-safe; one
 * per step.
 */
public final class ProgressThrottle {

  /** A node's default: two reports a second at most, and only after a 1% change. */
  public static final long DEFAULT_INTERVAL_NANOS = 500_000_000L;

  /** The smallest change worth reporting by default: 1%. */
  public static final double DEFAULT_MIN_STEP = 0.01;

  private final long intervalNanos;
  private final double minStep;
  private final LongSupplier clock;
  private double last = 0;
  private long lastAt;
  private boolean passedAny;

  /**
   * @param intervalNanos the least time between two fractions passed
   * @param minStep the least change between two fractions passed
   * @param clock nanosecond clock ({@code System::nanoTime} outside tests)
   */
  public ProgressThrottle(long intervalNanos, double minStep, LongSupplier clock) {
    if (intervalNanos < 0 || !(minStep >= 0)) {
      throw new IllegalArgumentException("interval and step must not be negative");
    }
    this.intervalNanos = intervalNanos;
    this.minStep = minStep;
    this.clock = clock;
  }

  /** The defaults on the system clock. */
  public ProgressThrottle() {
    this(DEFAULT_INTERVAL_NANOS, DEFAULT_MIN_STEP, System::nanoTime);
  }

  /** Whether {@code fraction} should be passed on; if so it becomes the last one passed. */
  public boolean pass(double fraction) {
    if (!valid(fraction) || fraction - last < minStep) {
      return false;
    }
    long now = clock.getAsLong();
    if (passedAny && now - lastAt < intervalNanos) {
      return false;
    }
    passedAny = true;
    last = fraction;
    lastAt = now;
    return true;
  }

  /** The last fraction passed, 0 before any. */
  public double last() {
    return last;
  }

  /** Whether {@code fraction} is a progress value at all: finite and within 0..1. */
  public static boolean valid(double fraction) {
    return fraction >= 0 && fraction <= 1;
  }
}
