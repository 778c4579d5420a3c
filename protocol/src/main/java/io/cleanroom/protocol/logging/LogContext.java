package io.cleanroom.protocol.logging;

/**
 * The study, step and party the current thread works for, which {@link LogFormat}'s formatter
 * writes into every log line. Set with try-with-resources around a piece of work; closing the scope
 * restores what was there before, so scopes nest:
 *
 * <pre>{@code
 * try (LogContext.Scope s = LogContext.open("bank-a", studyId, "phase/train")) {
 *   ...
 * }
 * }</pre>
 *
 * <p>The context belongs to one thread; work handed to another thread takes it along with {@link
 * #wrap(Runnable)}. It holds identifiers only, never data.
 */
public final class LogContext {

  /** What a thread works for; any field may be empty. */
  public record Context(String party, String study, String step) {
    public static final Context EMPTY = new Context("", "", "");

    public Context {
      party = party == null ? "" : party;
      study = study == null ? "" : study;
      step = step == null ? "" : step;
    }

    /** Whether no field is set. */
    public boolean isEmpty() {
      return party.isEmpty() && study.isEmpty() && step.isEmpty();
    }
  }

  /** Restores the previous context when closed. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final ThreadLocal<Context> CURRENT = ThreadLocal.withInitial(() -> Context.EMPTY);

  private LogContext() {}

  /** The current thread's context. */
  public static Context current() {
    return CURRENT.get();
  }

  /** Sets the party, study and step of the current thread until the scope closes. */
  public static Scope open(String party, String study, String step) {
    return set(new Context(party, study, step));
  }

  /** Keeps the party and study and sets the step until the scope closes. */
  public static Scope step(String step) {
    Context c = CURRENT.get();
    return set(new Context(c.party(), c.study(), step));
  }

  private static Scope set(Context next) {
    Context previous = CURRENT.get();
    CURRENT.set(next);
    return () -> CURRENT.set(previous);
  }

  /** {@code task}, run with the context of the thread that wraps it (for executors). */
  public static Runnable wrap(Runnable task) {
    Context captured = CURRENT.get();
    return () -> {
      try (Scope s = set(captured)) {
        task.run();
      }
    };
  }
}
