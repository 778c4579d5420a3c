package io.cleanroom.protocol.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * An append-only Merkle tree hashed exactly as RFC 9162 (Certificate Transparency version 2.0)
 * §2.1, with SHA-256.
 *
 * <ul>
 *   <li>The hash of an empty tree is {@code SHA-256()} (§2.1.1).
 *   <li>A leaf hash is {@code SHA-256(0x00 || entry)} (§2.1.1).
 *   <li>An interior node hash is {@code SHA-256(0x01 || left || right)} (§2.1.1).
 *   <li>The Merkle Tree Hash {@code MTH(D[n])} of {@code n > 1} entries splits the list at {@code
 *       k}, the largest power of two smaller than {@code n}: {@code MTH(D[n]) = node(MTH(D[0:k]),
 *       MTH(D[k:n]))} (§2.1.1).
 * </ul>
 *
 * <p>The tree keeps every leaf hash and, for every complete power-of-two subtree aligned to its
 * size, that subtree's hash, so that a root, an inclusion proof or a consistency proof costs {@code
 * O(log n)} hash operations and appending a leaf costs amortised {@code O(1)}.
 *
 * <p>Proofs are generated with the algorithms of §2.1.3.1 (inclusion) and §2.1.4.1 (consistency)
 * and verified with the algorithms of §2.1.3.2 and §2.1.4.2, step by step as the RFC states them.
 * Tree sizes and leaf indices are {@code long} as in the RFC; one instance holds at most {@link
 * Integer#MAX_VALUE} leaves.
 *
 * <p>Instances are not thread-safe; the static hashing and verification methods are.
 */
public final class MerkleTree {
  /** Size in bytes of every hash in the tree. */
  public static final int HASH_SIZE = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  /**
   * {@code levels.get(h).get(i)} is the hash of the complete subtree of {@code 2^h} leaves starting
   * at leaf {@code i * 2^h}; level 0 holds the leaf hashes.
   */
  private final List<List<byte[]>> levels = new ArrayList<>();

  /** Creates an empty tree. */
  public MerkleTree() {
    levels.add(new ArrayList<>());
  }

  /** {@code MTH({}) = SHA-256()}, the root of the empty tree (RFC 9162 §2.1.1). */
  public static byte[] emptyRoot() {
    return Codec.sha256();
  }

  /** {@code SHA-256(0x00 || entry)}, the leaf hash of one entry (RFC 9162 §2.1.1). */
  public static byte[] leafHash(byte[] entry) {
    return Codec.sha256(new byte[] {LEAF_PREFIX}, entry);
  }

  /** {@code SHA-256(0x01 || left || right)}, an interior node hash (RFC 9162 §2.1.1). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    return Codec.sha256(new byte[] {NODE_PREFIX}, left, right);
  }

  /** Appends one entry as a leaf and returns its 0-based index. */
  public long append(byte[] entry) {
    return appendLeafHash(leafHash(entry));
  }

  /**
   * Appends a leaf whose leaf hash ({@link #leafHash(byte[])}) was already computed and returns its
   * 0-based index.
   */
  public long appendLeafHash(byte[] leafHash) {
    requireHash(leafHash, "leaf hash");
    List<byte[]> leaves = levels.get(0);
    if (leaves.size() == Integer.MAX_VALUE) {
      throw new IllegalStateException("tree is full at " + leaves.size() + " leaves");
    }
    leaves.add(leafHash.clone());
    long index = leaves.size() - 1;
    // Every time a right child completes a subtree, record the parent one level up.
    int level = 0;
    long position = index;
    while ((position & 1) == 1) {
      List<byte[]> current = levels.get(level);
      byte[] parent = nodeHash(current.get((int) position - 1), current.get((int) position));
      if (levels.size() == level + 1) {
        levels.add(new ArrayList<>());
      }
      levels.get(level + 1).add(parent);
      position >>= 1;
      level++;
    }
    return index;
  }

  /** The number of leaves. */
  public long size() {
    return levels.get(0).size();
  }

  /** The leaf hash at {@code index}. */
  public byte[] leafHash(long index) {
    checkIndex(index, size(), "leaf index");
    return levels.get(0).get((int) index).clone();
  }

  /** {@code MTH(D[size()])}, the root of the whole tree. */
  public byte[] root() {
    return root(size());
  }

  /** {@code MTH(D[0:treeSize])}, the root the tree had when it held {@code treeSize} leaves. */
  public byte[] root(long treeSize) {
    checkSize(treeSize, "tree size");
    return treeSize == 0 ? emptyRoot() : subtreeHash(0, treeSize);
  }

  /**
   * The inclusion proof {@code PATH(index, D[0:treeSize])} of RFC 9162 §2.1.3.1: the sibling hashes
   * from the leaf up to the root, bottom first.
   */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    checkSize(treeSize, "tree size");
    checkIndex(index, treeSize, "leaf index");
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, treeSize, proof);
    return Collections.unmodifiableList(proof);
  }

  /**
   * The consistency proof {@code PROOF(first, D[0:second])} of RFC 9162 §2.1.4.1 between the tree
   * of size {@code first} and the tree of size {@code second}. It is empty when {@code first} is 0
   * or equal to {@code second}: nothing needs proving then.
   */
  public List<byte[]> consistencyProof(long first, long second) {
    checkSize(second, "second tree size");
    if (first < 0 || first > second) {
      throw new IllegalArgumentException(
          "first tree size " + first + " is not in [0, " + second + "]");
    }
    List<byte[]> proof = new ArrayList<>();
    if (first > 0 && first < second) {
      subproof(first, 0, second, true, proof);
    }
    return Collections.unmodifiableList(proof);
  }

  /** {@code PATH(m, D[start:end])}, with {@code m} relative to {@code start} (§2.1.3.1). */
  private void path(long m, long start, long end, List<byte[]> proof) {
    long n = end - start;
    if (n == 1) {
      return; // PATH(0, {d(0)}) = {}
    }
    long k = largestPowerOfTwoBelow(n);
    if (m < k) {
      // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])
      path(m, start, start + k, proof);
      proof.add(subtreeHash(start + k, end));
    } else {
      // PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])
      path(m - k, start + k, end, proof);
      proof.add(subtreeHash(start, start + k));
    }
  }

  /** {@code SUBPROOF(m, D[start:end], b)}, with {@code m} relative to {@code start} (§2.1.4.1). */
  private void subproof(long m, long start, long end, boolean b, List<byte[]> proof) {
    long n = end - start;
    if (m == n) {
      // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}
      if (!b) {
        proof.add(subtreeHash(start, end));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
      subproof(m, start, start + k, b, proof);
      proof.add(subtreeHash(start + k, end));
    } else {
      // SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
      subproof(m - k, start + k, end, false, proof);
      proof.add(subtreeHash(start, start + k));
    }
  }

  /** {@code MTH(D[start:end])} for {@code 0 <= start < end <= size()}. */
  private byte[] subtreeHash(long start, long end) {
    long n = end - start;
    if (n == 1) {
      return levels.get(0).get((int) start);
    }
    if ((n & (n - 1)) == 0 && start % n == 0) {
      // A complete subtree aligned to its size: recorded when its last leaf was appended.
      return levels.get(Long.numberOfTrailingZeros(n)).get((int) (start / n));
    }
    long k = largestPowerOfTwoBelow(n);
    return nodeHash(subtreeHash(start, start + k), subtreeHash(start + k, end));
  }

  /** The largest power of two strictly smaller than {@code n}, for {@code n >= 2}. */
  private static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }

  /**
   * Verifies an inclusion proof with the algorithm of RFC 9162 §2.1.3.2.
   *
   * @throws LogException naming the leaf index, the tree size and what failed
   */
  public static void checkInclusion(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> inclusionPath, byte[] rootHash)
      throws LogException {
    String where = "inclusion proof for leaf " + leafIndex + " in tree of size " + treeSize;
    requireHash(leafHash, "leaf hash");
    requireHash(rootHash, "root hash");
    checkPath(inclusionPath, where);
    // 1. Compare leaf_index from the inclusion_proof_v2 structure against tree_size. If leaf_index
    //    is greater than or equal to tree_size, then fail the proof verification.
    if (leafIndex < 0 || treeSize < 0 || leafIndex >= treeSize) {
      throw new LogException(where + ": leaf index is not in [0, tree size)");
    }
    // 2. Set fn to leaf_index and sn to tree_size - 1.
    long fn = leafIndex;
    long sn = treeSize - 1;
    // 3. Set r to hash.
    byte[] r = leafHash;
    // 4. For each value p in the inclusion_path array:
    for (byte[] p : inclusionPath) {
      // a. If sn is 0, then stop the iteration and fail the proof verification.
      if (sn == 0) {
        throw new LogException(
            where + ": proof has too many hashes (" + inclusionPath.size() + ")");
      }
      // b. If LSB(fn) is set, or if fn is equal to sn, then:
      if ((fn & 1) == 1 || fn == sn) {
        // i. Set r to HASH(0x01 || p || r).
        r = nodeHash(p, r);
        // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn)
        //     is set or fn is 0.
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        // Otherwise: Set r to HASH(0x01 || r || p).
        r = nodeHash(r, p);
      }
      // c. Finally, right-shift both fn and sn one time.
      fn >>= 1;
      sn >>= 1;
    }
    // 5. Compare sn to 0. Compare r against the root_hash. If sn is equal to 0 and r and the
    //    root_hash are equal, then the log has proven the inclusion of hash. Otherwise, fail.
    if (sn != 0) {
      throw new LogException(where + ": proof has too few hashes (" + inclusionPath.size() + ")");
    }
    if (!MessageDigest.isEqual(r, rootHash)) {
      throw new LogException(
          where + ": computed root " + hex(r) + " does not match root " + hex(rootHash));
    }
  }

  /** {@link #checkInclusion} as a predicate. */
  public static boolean verifyInclusion(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> inclusionPath, byte[] rootHash) {
    try {
      checkInclusion(leafIndex, treeSize, leafHash, inclusionPath, rootHash);
      return true;
    } catch (LogException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Verifies that the tree of size {@code second} with root {@code secondHash} extends the tree of
   * size {@code first} with root {@code firstHash}, with the algorithm of RFC 9162 §2.1.4.2.
   *
   * <p>Two cases need no proof and require an empty one: equal sizes (the roots must be equal) and
   * {@code first == 0} ({@code firstHash} must be the empty root): the empty tree is a prefix of
   * every tree.
   *
   * @throws LogException naming both sizes and what failed
   */
  public static void checkConsistency(
      long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> consistencyPath)
      throws LogException {
    String where = "consistency proof from size " + first + " to size " + second;
    requireHash(firstHash, "first root hash");
    requireHash(secondHash, "second root hash");
    checkPath(consistencyPath, where);
    if (first < 0 || first > second) {
      throw new LogException(where + ": first size must be in [0, second size]");
    }
    if (first == second || first == 0) {
      if (!consistencyPath.isEmpty()) {
        throw new LogException(
            where + ": must be empty, has " + consistencyPath.size() + " hashes");
      }
      if (first == 0 && !MessageDigest.isEqual(firstHash, emptyRoot())) {
        throw new LogException(where + ": root of size 0 is not the empty tree hash");
      }
      if (first == second && !MessageDigest.isEqual(firstHash, secondHash)) {
        throw new LogException(
            where
                + ": same size but different roots "
                + hex(firstHash)
                + " and "
                + hex(secondHash));
      }
      return;
    }
    // 1. If consistency_path is an empty array, stop and fail the proof verification.
    if (consistencyPath.isEmpty()) {
      throw new LogException(where + ": proof is empty");
    }
    // 2. If first is an exact power of 2, then prepend first_hash to the consistency_path array.
    List<byte[]> path = new ArrayList<>(consistencyPath.size() + 1);
    if ((first & (first - 1)) == 0) {
      path.add(firstHash);
    }
    path.addAll(consistencyPath);
    // 3. Set fn to first - 1 and sn to second - 1.
    long fn = first - 1;
    long sn = second - 1;
    // 4. If LSB(fn) is set, then right-shift both fn and sn equally until LSB(fn) is not set.
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    // 5. Set both fr and sr to the first value in the consistency_path array.
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    // 6. For each subsequent value c in the consistency_path array:
    for (byte[] c : path.subList(1, path.size())) {
      // a. If sn is 0, then stop the iteration and fail the proof verification.
      if (sn == 0) {
        throw new LogException(
            where + ": proof has too many hashes (" + consistencyPath.size() + ")");
      }
      // b. If LSB(fn) is set, or if fn is equal to sn, then:
      if ((fn & 1) == 1 || fn == sn) {
        // i. Set fr to HASH(0x01 || c || fr). Set sr to HASH(0x01 || c || sr).
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        // ii. If LSB(fn) is not set, then right-shift both fn and sn equally until either LSB(fn)
        //     is set or fn is 0.
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        // Otherwise: Set sr to HASH(0x01 || sr || c).
        sr = nodeHash(sr, c);
      }
      // c. Finally, right-shift both fn and sn one time.
      fn >>= 1;
      sn >>= 1;
    }
    // 7. After completing iterating through the consistency_path array as described above, verify
    //    that the fr calculated is equal to the first_hash supplied, that the sr calculated is
    //    equal to the second_hash supplied, and that sn is 0.
    if (sn != 0) {
      throw new LogException(where + ": proof has too few hashes (" + consistencyPath.size() + ")");
    }
    if (!MessageDigest.isEqual(fr, firstHash)) {
      throw new LogException(
          where
              + ": proof yields root "
              + hex(fr)
              + " for size "
              + first
              + ", expected "
              + hex(firstHash));
    }
    if (!MessageDigest.isEqual(sr, secondHash)) {
      throw new LogException(
          where
              + ": proof yields root "
              + hex(sr)
              + " for size "
              + second
              + ", expected "
              + hex(secondHash));
    }
  }

  /** {@link #checkConsistency} as a predicate. */
  public static boolean verifyConsistency(
      long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> consistencyPath) {
    try {
      checkConsistency(first, second, firstHash, secondHash, consistencyPath);
      return true;
    } catch (LogException | IllegalArgumentException e) {
      return false;
    }
  }

  private static void checkPath(List<byte[]> path, String where) throws LogException {
    if (path == null) {
      throw new LogException(where + ": proof is missing");
    }
    for (int i = 0; i < path.size(); i++) {
      byte[] hash = path.get(i);
      if (hash == null || hash.length != HASH_SIZE) {
        throw new LogException(
            where + ": proof hash " + i + " is not " + HASH_SIZE + " bytes long");
      }
    }
  }

  private static void requireHash(byte[] hash, String what) {
    if (hash == null || hash.length != HASH_SIZE) {
      throw new IllegalArgumentException(
          what + " must be " + HASH_SIZE + " bytes, got " + (hash == null ? "null" : hash.length));
    }
  }

  private void checkSize(long treeSize, String what) {
    if (treeSize < 0 || treeSize > size()) {
      throw new IllegalArgumentException(what + " " + treeSize + " is not in [0, " + size() + "]");
    }
  }

  private static void checkIndex(long index, long treeSize, String what) {
    if (index < 0 || index >= treeSize) {
      throw new IllegalArgumentException(what + " " + index + " is not in [0, " + treeSize + ")");
    }
  }

  /** Lower-case hex of a hash, for messages. */
  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
