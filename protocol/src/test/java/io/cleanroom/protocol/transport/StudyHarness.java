package io.cleanroom.protocol.transport;

import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * What conformance suites need from a transport implementation: a fresh study's transports (and,
 * optionally, each party's dealer), and a way to run one protocol per party concurrently.
 */
public final class StudyHarness {
  private StudyHarness() {}

  /** One transport per party of a fresh study, in party order, and a way to tear them down. */
  public interface Study extends AutoCloseable {
    List<Transport> transports();

    /** Each party's dealer, in party order; null to use a dealer in the test's own process. */
    default List<CorrelatedRandomness> randomness() {
      return null;
    }

    @Override
    void close() throws Exception;
  }

  /** A fresh study over the in-memory transport. */
  public static Study inMemory(String studyId, List<String> parties) {
    InMemoryNetwork net = new InMemoryNetwork(studyId, parties, Duration.ofSeconds(30));
    List<Transport> ts = new ArrayList<>();
    parties.forEach(p -> ts.add(net.transport(p)));
    return new Study() {
      @Override
      public List<Transport> transports() {
        return ts;
      }

      @Override
      public void close() {
        net.stopAll("test finished");
      }
    };
  }

  /** {@code bank-a}, {@code bank-b}, ... */
  public static List<String> parties(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      p.add("bank-" + (char) ('a' + i));
    }
    return p;
  }

  /**
   * Runs {@code protocol} at every party concurrently and returns each party's result in party
   * order. The first failure interrupts the other parties, so a broken protocol fails fast instead
   * of waiting for the transport's timeout.
   */
  public static <T> List<T> runAll(List<Transport> ts, Function<Transport, T> protocol)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(ts.size());
    try {
      ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(pool);
      Object[] results = new Object[ts.size()];
      for (int i = 0; i < ts.size(); i++) {
        int party = i;
        done.submit(
            () -> {
              results[party] = protocol.apply(ts.get(party));
              return null;
            });
      }
      for (int i = 0; i < ts.size(); i++) {
        try {
          done.take().get();
        } catch (ExecutionException e) {
          pool.shutdownNow();
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
      List<T> out = new ArrayList<>();
      for (Object r : results) {
        @SuppressWarnings("unchecked")
        T t = (T) r;
        out.add(t);
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
