package io.cleanroom.node.data;

import java.util.Arrays;

/**
 * Numbers distinct keys 0, 1, 2, ... in order of first insertion, where a key is a string plus a
 * small integer tag (a bank, for account ids seen at other banks).
 *
 * <p>Built for a million keys looked up ten million times, where the time goes to cache misses:
 * each key is stored once in a shared {@code char[]} as a record {@code [length, tag, number,
 * characters]}, and each slot of the open-addressing table holds the key's hash and the offset of
 * its record. A lookup thus reads one slot and one record, where a {@code HashMap<String, Integer>}
 * would follow four pointers to scattered objects and use about four times the memory. {@link #key}
 * builds a new string on each call.
 *
 * <p>Mutable while a folder loads; read-only once handed to {@link BankData}.
 */
final class KeyTable {
  private static final int MIN_CAPACITY = 16;
  private static final int HEADER = 6; // length, tag, number: two chars each
  private static final int MAX_CHARS = Integer.MAX_VALUE - 8; // what a JVM can allocate

  private char[] records = new char[MIN_CAPACITY * 16];
  private int used;
  private int[] offsets = new int[MIN_CAPACITY]; // record offset by number
  private long[] slots = new long[MIN_CAPACITY * 2]; // hash << 32 | (offset + 1); 0 when free
  private int size;

  /** How many distinct keys were added. */
  int size() {
    return size;
  }

  /** The key with number {@code index}. */
  String key(int index) {
    int o = offsets[index];
    return new String(records, o + HEADER, read(o));
  }

  /** The tag of the key with number {@code index}. */
  int tag(int index) {
    return read(offsets[index] + 2);
  }

  /** The number of a key, or -1 if it was never added. */
  int find(int tag, String key) {
    int h = hash(tag, key);
    int mask = slots.length - 1;
    for (int s = h & mask; ; s = (s + 1) & mask) {
      long slot = slots[s];
      if (slot == 0) {
        return -1;
      }
      if ((int) (slot >>> 32) == h && matches((int) slot - 1, tag, key)) {
        return read((int) slot - 1 + 4);
      }
    }
  }

  /** The number of a key, adding it first if new; compare {@link #size()} to tell which. */
  int add(int tag, String key) {
    int h = hash(tag, key);
    int mask = slots.length - 1;
    int s = h & mask;
    for (long slot; (slot = slots[s]) != 0; s = (s + 1) & mask) {
      if ((int) (slot >>> 32) == h && matches((int) slot - 1, tag, key)) {
        return read((int) slot - 1 + 4);
      }
    }
    int offset = append(tag, key);
    slots[s] = (long) h << 32 | (offset + 1L);
    // Keep the table at most half full so probe sequences stay short.
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    return size - 1;
  }

  /** Drops spare capacity once no more keys will be added. */
  void trim() {
    records = Arrays.copyOf(records, used);
    offsets = Arrays.copyOf(offsets, size);
  }

  private boolean matches(int offset, int tag, String key) {
    if (read(offset) != key.length() || read(offset + 2) != tag) {
      return false;
    }
    int from = offset + HEADER;
    for (int i = 0; i < key.length(); i++) {
      if (records[from + i] != key.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int append(int tag, String key) {
    if (size == offsets.length) {
      offsets = Arrays.copyOf(offsets, Math.max(MIN_CAPACITY, size + (size >> 1)));
    }
    int end = used + HEADER + key.length();
    if (end < 0 || end > MAX_CHARS) {
      throw new IllegalStateException("keys exceed " + MAX_CHARS + " characters");
    }
    if (end > records.length) {
      long grown = Math.max(end, records.length + (records.length >> 1));
      records = Arrays.copyOf(records, (int) Math.min(grown, MAX_CHARS));
    }
    int offset = used;
    write(offset, key.length());
    write(offset + 2, tag);
    write(offset + 4, size);
    key.getChars(0, key.length(), records, offset + HEADER);
    used = end;
    offsets[size++] = offset;
    return offset;
  }

  private int read(int at) {
    return records[at] << 16 | records[at + 1];
  }

  private void write(int at, int value) {
    records[at] = (char) (value >>> 16);
    records[at + 1] = (char) value;
  }

  private void rehash(int capacity) {
    long[] fresh = new long[capacity];
    int mask = capacity - 1;
    for (long slot : slots) {
      if (slot != 0) {
        int s = (int) (slot >>> 32) & mask;
        while (fresh[s] != 0) {
          s = (s + 1) & mask;
        }
        fresh[s] = slot;
      }
    }
    slots = fresh;
  }

  private static int hash(int tag, String key) {
    // String.hashCode is poorly spread for short numeric ids; mix it with the tag.
    int h = key.hashCode() * 0x9E3779B9 + tag;
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    return h ^ (h >>> 13);
  }
}
