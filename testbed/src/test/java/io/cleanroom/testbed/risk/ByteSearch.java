package io.cleanroom.testbed.risk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finds which of many needles (each at least 6 bytes) occur in a haystack, in one pass. */
final class ByteSearch {
  static final int MIN = 6;

  private final Map<Long, List<byte[]>> byPrefix = new HashMap<>();
  private int needles;

  void add(byte[] needle) {
    if (needle.length < MIN) {
      throw new IllegalArgumentException("needle shorter than " + MIN + " bytes");
    }
    byPrefix.computeIfAbsent(prefix(needle, 0), k -> new ArrayList<>()).add(needle);
    needles++;
  }

  int size() {
    return needles;
  }

  private static long prefix(byte[] b, int at) {
    long k = 0;
    for (int i = 0; i < MIN; i++) {
      k = (k << 8) | (b[at + i] & 0xff);
    }
    return k;
  }

  /** The needles found in {@code hay}. */
  List<byte[]> find(byte[] hay) {
    List<byte[]> found = new ArrayList<>();
    if (hay.length < MIN) {
      return found;
    }
    long mask = (1L << (8 * MIN)) - 1;
    long k = prefix(hay, 0);
    for (int i = 0; i + MIN <= hay.length; i++) {
      if (i > 0) {
        k = ((k << 8) | (hay[i + MIN - 1] & 0xff)) & mask;
      }
      List<byte[]> candidates = byPrefix.get(k);
      if (candidates != null) {
        for (byte[] n : candidates) {
          if (matches(hay, i, n)) {
            found.add(n);
          }
        }
      }
    }
    return found;
  }

  private static boolean matches(byte[] hay, int at, byte[] n) {
    if (at + n.length > hay.length) {
      return false;
    }
    for (int j = MIN; j < n.length; j++) {
      if (hay[at + j] != n[j]) {
        return false;
      }
    }
    return true;
  }
}
