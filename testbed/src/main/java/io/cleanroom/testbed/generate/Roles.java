package io.cleanroom.testbed.generate;

import java.util.SplittableRandom;

/**
 * Accounts that many others deal with (employers, shops), with how popular each is. Popularity is
 * heavy-tailed (Pareto), so a few employers pay thousands and a few shops take most payments, and
 * banks attract such accounts unevenly, so some banks receive far more of the traffic.
 */
final class Roles {
  private static final double PARETO_SHAPE = 1.2;
  private static final double MAX_POPULARITY = 10_000;
  private static final int MAX_TRIES = 1_000;

  private final int[] accounts;
  private final AliasTable all;
  private final int[][] atBank;
  private final AliasTable[] byBank;

  private Roles(int[] accounts, double[] popularity, BankLayout layout) {
    this.accounts = accounts;
    this.all = new AliasTable(popularity);
    int banks = layout.banks();
    int[] count = new int[banks];
    for (int a : accounts) {
      count[layout.bankOf(a)]++;
    }
    atBank = new int[banks][];
    byBank = new AliasTable[banks];
    for (int b = 0; b < banks; b++) {
      atBank[b] = new int[count[b]];
      count[b] = 0;
    }
    for (int i = 0; i < accounts.length; i++) {
      int b = layout.bankOf(accounts[i]);
      atBank[b][count[b]++] = i;
    }
    for (int b = 0; b < banks; b++) {
      if (atBank[b].length > 0) {
        double[] w = new double[atBank[b].length];
        for (int j = 0; j < w.length; j++) {
          w[j] = popularity[atBank[b][j]];
        }
        byBank[b] = new AliasTable(w);
      }
    }
  }

  /**
   * Picks {@code count} (at least one) main accounts opened before the window, none already {@code
   * taken}, and marks them taken.
   */
  static Roles choose(BankLayout layout, int count, boolean[] taken, SplittableRandom rng) {
    int banks = layout.banks();
    double[] bankWeight = new double[banks];
    for (int b = 0; b < banks; b++) {
      bankWeight[b] = layout.ordinary(b) * (0.5 + 1.5 * rng.nextDouble());
    }
    AliasTable bankTable = new AliasTable(bankWeight);
    int[] accounts = new int[Math.max(1, count)];
    double[] popularity = new double[accounts.length];
    for (int i = 0; i < accounts.length; i++) {
      int a;
      int tries = 0;
      do {
        int b = bankTable.sample(rng);
        a = layout.ordinaryAccount(b, rng.nextInt(layout.ordinary(b)));
        // In a tiny dataset every suitable account may be taken; then any will do.
      } while (++tries < MAX_TRIES && (taken[a] || !layout.isPrimary(a) || layout.opened(a) >= 0));
      taken[a] = true;
      accounts[i] = a;
      double u = 1 - rng.nextDouble();
      popularity[i] = Math.min(MAX_POPULARITY, StrictMath.pow(u, -1 / PARETO_SHAPE));
    }
    return new Roles(accounts, popularity, layout);
  }

  int size() {
    return accounts.length;
  }

  /** The account of role {@code i}. */
  int account(int i) {
    return accounts[i];
  }

  /** A role by popularity. */
  int pick(SplittableRandom rng) {
    return all.sample(rng);
  }

  /** A role by popularity, decided by the bits of a hash. */
  int pick(long bits) {
    return all.sample(bits);
  }

  /** A role at {@code bank} by popularity, or any role if the bank has none. */
  int pickAt(int bank, SplittableRandom rng) {
    return byBank[bank] == null ? pick(rng) : atBank[bank][byBank[bank].sample(rng)];
  }

  /** A role at {@code bank} by popularity, decided by the bits of a hash. */
  int pickAt(int bank, long bits) {
    return byBank[bank] == null ? pick(bits) : atBank[bank][byBank[bank].sample(bits)];
  }
}
