package io.cleanroom.node.data;

import java.util.Arrays;

/**
 * Numbers distinct non-negative {@code long} keys 0, 1, 2, ... in order of first insertion. Used
 * for ordered account pairs while flows are aggregated and for txn id fingerprints: ten million
 * boxed keys in a {@code HashMap} would not fit the heap a node is given.
 */
final class LongTable {
  private static final long FREE = -1;
  private static final int MIN_CAPACITY = 16;

  private long[] keys;
  private int[] numbers;
  private int size;

  LongTable() {
    keys = new long[MIN_CAPACITY];
    numbers = new int[MIN_CAPACITY];
    Arrays.fill(keys, FREE);
  }

  /** How many distinct keys were added. */
  int size() {
    return size;
  }

  /** The number of {@code key}, or -1 if it was never added. */
  int find(long key) {
    int mask = keys.length - 1;
    for (int s = slot(key, mask); ; s = (s + 1) & mask) {
      if (keys[s] == key) {
        return numbers[s];
      }
      if (keys[s] == FREE) {
        return -1;
      }
    }
  }

  /**
   * The number of {@code key}, adding it first if new; compare {@link #size()} to tell which.
   *
   * @param key a non-negative key
   */
  int add(long key) {
    if (key < 0) {
      throw new IllegalArgumentException("keys must not be negative");
    }
    int mask = keys.length - 1;
    int s = slot(key, mask);
    for (; keys[s] != FREE; s = (s + 1) & mask) {
      if (keys[s] == key) {
        return numbers[s];
      }
    }
    keys[s] = key;
    numbers[s] = size++;
    // At most 3/4 full: fuller tables probe long runs, emptier ones waste memory at 10M keys.
    if (size * 4L > keys.length * 3L) {
      rehash();
    }
    return size - 1;
  }

  private void rehash() {
    long[] oldKeys = keys;
    int[] oldNumbers = numbers;
    keys = new long[oldKeys.length * 2];
    numbers = new int[keys.length];
    Arrays.fill(keys, FREE);
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != FREE) {
        int s = slot(oldKeys[i], mask);
        while (keys[s] != FREE) {
          s = (s + 1) & mask;
        }
        keys[s] = oldKeys[i];
        numbers[s] = oldNumbers[i];
      }
    }
  }

  private static int slot(long key, int mask) {
    // The finaliser of SplitMix64: pairs of small account indexes would cluster otherwise.
    long h = key;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 31)) & mask;
  }
}
