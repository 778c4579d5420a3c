package io.cleanroom.node.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems found while loading a bank's tables. Loading goes on after a problem so the operator
 * can fix a whole file at once instead of one line per run; only a bounded number is kept because a
 * file broken throughout would otherwise fill the heap with messages.
 */
final class Problems {
  /** How many problems are kept in detail; further ones are only counted. */
  static final int KEPT = 1000;

  private final List<Problem> kept = new ArrayList<>();
  private final Map<String, Integer> fileOrder = new HashMap<>();
  private long count;

  private record Problem(
      int fileOrder, String file, String unit, long line, String field, String text) {}

  /** Records a problem; see {@link DataException#DataException(String, long, String, String)}. */
  void add(String file, long line, String field, String problem) {
    add(file, DataException.LINE, line, field, problem);
  }

  /**
   * Records a problem located by {@code unit}: {@code line} of a file or {@code row} of a database
   * table.
   */
  void add(String file, String unit, long line, String field, String problem) {
    // Files are read one after another, so the order of first mention is the reading order.
    int order = fileOrder.computeIfAbsent(file, f -> fileOrder.size());
    count++;
    if (kept.size() < KEPT) {
      kept.add(new Problem(order, file, unit, line, field, problem));
    }
  }

  /** Records the problem an exception describes. */
  void add(DataException e) {
    add(e.file(), e.unit(), e.line(), e.field().orElse(null), e.problem());
  }

  /** How many problems were recorded, kept or not. */
  long count() {
    return count;
  }

  /** Throws the problems recorded so far, if any. */
  void throwIfAny() throws DataException {
    if (count == 0) {
      return;
    }
    // A second pass over a file may report problems at earlier lines than those already kept.
    List<Problem> sorted = new ArrayList<>(kept);
    sorted.sort(Comparator.comparingInt(Problem::fileOrder).thenComparingLong(Problem::line));
    List<String> messages = new ArrayList<>(sorted.size());
    for (Problem p : sorted) {
      messages.add(DataException.format(p.file(), p.unit(), p.line(), p.field(), p.text()));
    }
    Problem first = sorted.get(0);
    throw new DataException(
        first.file(), first.unit(), first.line(), first.field(), first.text(), count - 1, messages);
  }
}
