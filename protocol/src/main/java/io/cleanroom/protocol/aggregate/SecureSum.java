package io.cleanroom.protocol.aggregate;

import io.cleanroom.protocol.ring.Ring64;
import io.cleanroom.protocol.sharing.AdditiveSharing;

/**
 * Element-wise sum of one vector per party, opened to all parties.
 *
 * <p>Each party secret-shares its vector ({@link AdditiveSharing#inputAll}), adds the shares it
 * holds locally, and the parties open only the sums. What each party learns: its own vector and the
 * totals; with N = 2 the other party's vector follows from the total, as it must. The coordinator
 * takes no part. Cost per party: 2·(N−1)·n elements sent in two rounds.
 */
public final class SecureSum {
  private SecureSum() {}

  /** Returns Σ over parties of their {@code own} vectors, modulo 2^64. */
  public static long[] sumAndOpen(AdditiveSharing sharing, String label, long[] own) {
    long[][] shares = sharing.inputAll(label + "/input", own);
    long[] sumShare = new long[own.length];
    for (long[] s : shares) {
      Ring64.addInPlace(sumShare, s);
    }
    return sharing.openToAll(label + "/open", sumShare);
  }
}
