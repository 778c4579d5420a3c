package io.cleanroom.testbed.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs one protocol per party concurrently, as the parties of a study do. */
final class Parallel {
  private Parallel() {}

  static <T> List<T> run(int parties, IntFunction<Callable<T>> protocol) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parties);
    try {
      List<Future<T>> fs = new ArrayList<>();
      for (int p = 0; p < parties; p++) {
        fs.add(pool.submit(protocol.apply(p)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : fs) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ex ? ex : e;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
