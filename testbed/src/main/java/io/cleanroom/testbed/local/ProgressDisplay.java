package io.cleanroom.testbed.local;

import io.cleanroom.protocol.study.PhaseProgress;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a study's progress, as the coordinator reports it, on the testbed's console. Every mode
 * prints the study's events as it always has ({@code study <id> <state>: <message>}: each change of
 * state, each phase's start and end); they differ in what they show while a phase runs:
 *
 * <ul>
 *   <li>{@link Mode#BAR}: a progress bar per phase (for an interactive terminal);
 *   <li>{@link Mode#LINES}: plain lines such as {@code train 40% (epoch 4/10)}, at most one per
 *       {@link #LINE_INTERVAL} and one at each phase's end with its duration (for pipes, CI and
 *       logs);
 *   <li>{@link Mode#NONE}: nothing.
 * </ul>
 *
 * <p>Not thread-safe: one display per study run, fed from one thread.
 */
public abstract class ProgressDisplay implements AutoCloseable {

  /** The least time between two progress lines of a phase in {@link Mode#LINES}. */
  public static final Duration LINE_INTERVAL = Duration.ofSeconds(3);

  /** How progress is shown. */
  public enum Mode {
    BAR,
    LINES,
    NONE;

    /** BAR on an interactive terminal, LINES otherwise. */
    public static Mode auto() {
      return interactive() ? BAR : LINES;
    }
  }

  protected final PrintStream console;

  private ProgressDisplay(PrintStream console) {
    this.console = console;
  }

  /** A display of {@code mode} on {@code console}. */
  public static ProgressDisplay of(Mode mode, PrintStream console) {
    return switch (mode) {
      case BAR -> new Bars(console);
      case LINES -> new Lines(console, LINE_INTERVAL, System::nanoTime);
      case NONE -> new Events(console);
    };
  }

  /** Plain lines, at most one per {@code interval} per phase, on the given clock (for tests). */
  static ProgressDisplay lines(PrintStream console, Duration interval, LongSupplier nanoClock) {
    return new Lines(console, interval, nanoClock);
  }

  /** Shows one message of the coordinator's about a run of {@code plan}. */
  public abstract void show(StudyPlan plan, StudyProgress p);

  /** Ends what is being shown (a bar still open). */
  @Override
  public void close() {}

  /** Whether this JVM writes to an interactive terminal. */
  static boolean interactive() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      // From Java 22 on System.console() is not null when piped; isTerminal() tells.
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(c);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /**
   * Whether {@code p} reports how far a running phase is, rather than an event: a phase's fraction
   * strictly between 0 and 1.
   */
  public static boolean running(StudyProgress p) {
    return !p.getPhase().isEmpty() && !p.hasSummary() && p.getProgress() > 0 && p.getProgress() < 1;
  }

  /** The event line, as the testbed always printed it. */
  protected void event(StudyProgress p) {
    console.println(
        "study "
            + p.getStudyId()
            + " "
            + p.getState().toLowerCase(Locale.ROOT)
            + ": "
            + p.getMessage());
  }

  /** {@code train 40% (epoch 4/10)}. */
  static String describe(StudyPlan plan, String phase, double fraction) {
    String detail = PhaseProgress.describe(phase, fraction, plan.getParametersMap());
    return phase
        + " "
        + PhaseProgress.percent(fraction)
        + "%"
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }

  /** Events only. */
  private static final class Events extends ProgressDisplay {
    Events(PrintStream console) {
      super(console);
    }

    @Override
    public void show(StudyPlan plan, StudyProgress p) {
      if (!running(p)) {
        event(p);
      }
    }
  }

  /** Events and throttled progress lines. */
  private static final class Lines extends ProgressDisplay {
    private final long intervalNanos;
    private final LongSupplier clock;
    private String phase = "";
    private long phaseStart;
    private long lastLine;
    private boolean printedAny;

    Lines(PrintStream console, Duration interval, LongSupplier clock) {
      super(console);
      this.intervalNanos = interval.toNanos();
      this.clock = clock;
    }

    @Override
    public void show(StudyPlan plan, StudyProgress p) {
      long now = clock.getAsLong();
      if (running(p)) {
        if (!p.getPhase().equals(phase)) {
          begin(p.getPhase(), now);
        }
        if (!printedAny || now - lastLine >= intervalNanos) {
          console.println("  " + describe(plan, phase, p.getProgress()));
          lastLine = now;
          printedAny = true;
        }
        return;
      }
      if (!p.getPhase().isEmpty() && p.getProgress() == 0 && !p.hasSummary()) {
        begin(p.getPhase(), now);
      } else if (p.getPhase().equals(phase) && p.getProgress() >= 1) {
        console.println(
            "  "
                + phase
                + " 100% in "
                + String.format(Locale.ROOT, "%.1f s", (now - phaseStart) / 1e9));
        phase = "";
      }
      event(p);
    }

    private void begin(String name, long now) {
      phase = name;
      phaseStart = now;
      printedAny = false;
    }
  }

  /** Events and a progress bar per phase. */
  private static final class Bars extends ProgressDisplay {
    private ProgressBar bar;
    private String phase = "";

    Bars(PrintStream console) {
      super(console);
    }

    @Override
    public void show(StudyPlan plan, StudyProgress p) {
      if (running(p)) {
        if (!p.getPhase().equals(phase)) {
          finish(true);
          open(p.getPhase());
        }
        bar.stepTo(PhaseProgress.percent(p.getProgress()));
        String detail = PhaseProgress.describe(phase, p.getProgress(), plan.getParametersMap());
        bar.setExtraMessage(detail);
        return;
      }
      boolean aborted = StudyState.ABORTED.name().equals(p.getState());
      // A new phase, the end of this one or the end of the study closes the bar.
      if (bar != null && (!p.getPhase().equals(phase) || p.getProgress() >= 1 || p.hasSummary())) {
        finish(!aborted && (p.getProgress() >= 1 || !p.getPhase().equals(phase)));
      }
      event(p);
      if (!aborted && !p.getPhase().isEmpty() && p.getProgress() == 0 && !p.hasSummary()) {
        open(p.getPhase());
      }
    }

    private void open(String name) {
      phase = name;
      bar =
          new ProgressBarBuilder()
              .setTaskName("  " + name)
              .setInitialMax(100)
              .setUnit("%", 1)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(200)
              .setConsumer(new ConsoleProgressBarConsumer(console))
              .hideEta()
              .build();
    }

    /** Closes the bar, at 100% if the phase completed. */
    private void finish(boolean completed) {
      if (bar != null) {
        if (completed) {
          bar.setExtraMessage("");
          bar.stepTo(100);
        }
        bar.close();
        bar = null;
      }
      phase = "";
    }

    @Override
    public void close() {
      finish(false);
    }
  }
}
