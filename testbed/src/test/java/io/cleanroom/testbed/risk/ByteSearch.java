package io.cleanroom.testbed.risk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
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
  /**
   * Adds a binary encoding unless it has 4 or more zero bytes: such patterns (e.g. 00 00 00 00 36
   * 00 00 00, a round amount) occur by chance in any protobuf stream and would say nothing about a
   * leak.
   */
  void addBinary(byte[] encoding) {
    int zeros = 0;
    for (byte b : encoding) {
      if (b == 0) {
        zeros++;
      }
    }
    if (zeros < 4) {
      add(encoding);
    }
  }

  /** The first few needles found: text ones as text, binary ones as hex. */
  static String describe(List<byte[]> found) {
    StringBuilder b = new StringBuilder();
    for (byte[] n : found.subList(0, Math.min(5, found.size()))) {
      boolean text = true;
      for (byte x : n) {
        text &= x >= 32 && x < 127;
      }
      b.append(text ? new String(n, StandardCharsets.US_ASCII) : HexFormat.of().formatHex(n));
      b.append(' ');
    }
    return b.toString();
  }

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
