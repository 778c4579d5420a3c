package io.cleanroom.protocol.status;

import java.util.Collection;
import java.util.Iterator;
import java.util.function.Predicate;

/**
 * How many ended studies a party's live view keeps (the coordinator's board, a node's registry):
 * running studies are always kept, ended ones up to {@value #KEEP}, the oldest forgotten first. The
 * records and session logs keep the rest.
 */
public final class EndedStudies {

  /** How many ended studies a live view keeps. */
  public static final int KEEP = 200;

  private EndedStudies() {}

  /**
   * Removes the oldest ended studies of {@code studies}, in its iteration order, until at most
   * {@value #KEEP} ended ones are left.
   */
  public static <E> void trim(Collection<E> studies, Predicate<? super E> ended) {
    long count = studies.stream().filter(ended).count();
    for (Iterator<E> it = studies.iterator(); count > KEEP && it.hasNext(); ) {
      if (ended.test(it.next())) {
        it.remove();
        count--;
      }
    }
  }
}
