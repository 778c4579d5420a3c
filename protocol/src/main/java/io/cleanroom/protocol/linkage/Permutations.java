package io.cleanroom.protocol.linkage;

import java.security.SecureRandom;

/** Uniformly random permutations, for labels and handles that must say nothing about order. */
public final class Permutations {
  private Permutations() {}

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  public static int[] random(int n, SecureRandom random) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
