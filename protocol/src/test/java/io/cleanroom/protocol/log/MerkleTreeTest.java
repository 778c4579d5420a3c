package io.cleanroom.protocol.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();

  /** The Certificate Transparency reference leaves (RFC 6962 / RFC 9162 test data). */
  private static final String[] CT_LEAVES = {
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
  };

  /** The published MTH(D[n]) of the reference leaves for n = 0..8. */
  private static final String[] CT_ROOTS = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };

  private static MerkleTree ctTree() {
    MerkleTree tree = new MerkleTree();
    for (String leaf : CT_LEAVES) {
      tree.append(HEX.parseHex(leaf));
    }
    return tree;
  }

  private static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** MTH of RFC 9162 §2.1.1, written directly from the definition over the entries. */
  private static byte[] referenceRoot(List<byte[]> entries) throws Exception {
    int n = entries.size();
    if (n == 0) {
      return sha256();
    }
    if (n == 1) {
      return sha256(new byte[] {0}, entries.get(0));
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return sha256(
        new byte[] {1}, referenceRoot(entries.subList(0, k)), referenceRoot(entries.subList(k, n)));
  }

  private static List<byte[]> entries(int count) {
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(("entry-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }

  private static MerkleTree treeOf(List<byte[]> entries) {
    MerkleTree tree = new MerkleTree();
    entries.forEach(tree::append);
    return tree;
  }

  private static List<byte[]> hexList(String... hashes) {
    List<byte[]> list = new ArrayList<>();
    for (String hash : hashes) {
      list.add(HEX.parseHex(hash));
    }
    return list;
  }

  private static void assertProof(List<byte[]> expected, List<byte[]> actual) {
    assertEquals(expected.size(), actual.size(), "proof length");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "proof hash " + i);
    }
  }

  @Test
  void emptyTree_rootIsSha256OfTheEmptyString() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HEX.formatHex(new MerkleTree().root()));
    assertArrayEquals(new MerkleTree().root(), MerkleTree.emptyRoot());
  }

  @Test
  void smallTree_matchesHashesComputedByHand() throws Exception {
    byte[] a = "a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "b".getBytes(StandardCharsets.UTF_8);
    byte[] c = "c".getBytes(StandardCharsets.UTF_8);
    MerkleTree tree = treeOf(List.of(a, b, c));

    byte[] leafA = sha256(new byte[] {0x00}, a);
    byte[] leafB = sha256(new byte[] {0x00}, b);
    byte[] leafC = sha256(new byte[] {0x00}, c);
    byte[] ab = sha256(new byte[] {0x01}, leafA, leafB);
    byte[] abc = sha256(new byte[] {0x01}, ab, leafC);

    assertArrayEquals(leafA, tree.root(1));
    assertArrayEquals(ab, tree.root(2));
    assertArrayEquals(abc, tree.root(3));
    assertArrayEquals(abc, tree.root());
    assertArrayEquals(leafC, tree.leafHash(2));
    // PATH(2, D[3]) = {MTH(D[0:2])}; PROOF(2, D[3]) = {leaf c}; PROOF(1, D[3]) = {b, c}.
    assertProof(List.of(ab), tree.inclusionProof(2, 3));
    assertProof(List.of(leafB, leafC), tree.inclusionProof(0, 3));
    assertProof(List.of(leafC), tree.consistencyProof(2, 3));
    assertProof(List.of(leafB, leafC), tree.consistencyProof(1, 3));
  }

  @Test
  void certificateTransparencyVectors_roots() {
    MerkleTree tree = ctTree();
    for (int n = 0; n <= 8; n++) {
      assertEquals(CT_ROOTS[n], HEX.formatHex(tree.root(n)), "MTH(D[" + n + "])");
    }
  }

  @Test
  void certificateTransparencyVectors_proofs() {
    MerkleTree tree = ctTree();
    assertProof(List.of(), tree.inclusionProof(0, 1));
    assertProof(
        hexList(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        tree.inclusionProof(0, 8));
    assertProof(
        hexList(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        tree.inclusionProof(5, 8));
    assertProof(
        hexList("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
        tree.inclusionProof(2, 3));
    assertProof(List.of(), tree.consistencyProof(1, 1));
    assertProof(
        hexList(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        tree.consistencyProof(1, 8));
    assertProof(
        hexList(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        tree.consistencyProof(6, 8));
    assertProof(
        hexList(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        tree.consistencyProof(2, 5));
  }

  @Test
  void roots_sizes1to64_matchTheDefinition() throws Exception {
    List<byte[]> entries = entries(64);
    MerkleTree tree = treeOf(entries);
    for (int n = 0; n <= 64; n++) {
      byte[] expected = referenceRoot(entries.subList(0, n));
      assertArrayEquals(expected, tree.root(n), "historical root of size " + n);
      assertArrayEquals(expected, treeOf(entries.subList(0, n)).root(), "root of size " + n);
    }
  }

  // Proofs are not checked against neighbouring tree sizes: a proof for size n can also verify for
  // another size whose tree has the same shape along the path (e.g. leaf 0 of 3 and of 4). The
  // size is bound to the root by the signed checkpoint, not by the proof.

  @Test
  void inclusionProofs_sizes1to64_allVerify_andTamperedOnesFail() {
    List<byte[]> entries = entries(64);
    MerkleTree tree = treeOf(entries);
    byte[] other = MerkleTree.leafHash("other".getBytes(StandardCharsets.UTF_8));
    for (int n = 1; n <= 64; n++) {
      byte[] root = tree.root(n);
      for (int m = 0; m < n; m++) {
        String what = "leaf " + m + " of " + n;
        byte[] leaf = tree.leafHash(m);
        List<byte[]> proof = tree.inclusionProof(m, n);
        assertTrue(MerkleTree.verifyInclusion(m, n, leaf, proof, root), what);
        assertFalse(MerkleTree.verifyInclusion(m, n, other, proof, root), what + ": other leaf");
        assertFalse(MerkleTree.verifyInclusion(m, n, leaf, proof, other), what + ": other root");
        assertFalse(MerkleTree.verifyInclusion(n, n, leaf, proof, root), what + ": index=size");
        if (n > 1) {
          int wrong = (m + 1) % n;
          assertFalse(MerkleTree.verifyInclusion(wrong, n, leaf, proof, root), what + ": index");
        }
        for (int i = 0; i < proof.size(); i++) {
          List<byte[]> tampered = new ArrayList<>(proof);
          byte[] hash = tampered.get(i).clone();
          hash[i % hash.length] ^= 0x01;
          tampered.set(i, hash);
          assertFalse(MerkleTree.verifyInclusion(m, n, leaf, tampered, root), what + ": hash " + i);
        }
        if (!proof.isEmpty()) {
          List<byte[]> shorter = proof.subList(0, proof.size() - 1);
          assertFalse(MerkleTree.verifyInclusion(m, n, leaf, shorter, root), what + ": shorter");
        }
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(root);
        assertFalse(MerkleTree.verifyInclusion(m, n, leaf, longer, root), what + ": longer");
      }
    }
  }

  @Test
  void consistencyProofs_allPairsUpTo64_verify_andTamperedOnesFail() {
    List<byte[]> entries = entries(64);
    MerkleTree tree = treeOf(entries);
    byte[] other = MerkleTree.leafHash("other".getBytes(StandardCharsets.UTF_8));
    for (int n = 1; n <= 64; n++) {
      byte[] second = tree.root(n);
      for (int m = 0; m <= n; m++) {
        String what = "from " + m + " to " + n;
        byte[] first = tree.root(m);
        List<byte[]> proof = tree.consistencyProof(m, n);
        assertTrue(MerkleTree.verifyConsistency(m, n, first, second, proof), what);
        assertFalse(MerkleTree.verifyConsistency(m, n, other, second, proof), what + ": first");
        if (m > 0) {
          // Every tree extends the empty one: from size 0 there is no second root to check.
          assertFalse(MerkleTree.verifyConsistency(m, n, first, other, proof), what + ": second");
        }
        if (m > 0 && m < n) {
          assertFalse(
              MerkleTree.verifyConsistency(m, n, first, second, List.of()), what + ": empty");
          for (int i = 0; i < proof.size(); i++) {
            List<byte[]> tampered = new ArrayList<>(proof);
            byte[] hash = tampered.get(i).clone();
            hash[(i * 7) % hash.length] ^= (byte) 0x80;
            tampered.set(i, hash);
            assertFalse(
                MerkleTree.verifyConsistency(m, n, first, second, tampered), what + ": hash " + i);
          }
          assertFalse(
              MerkleTree.verifyConsistency(m, n, first, second, proof.subList(0, proof.size() - 1)),
              what + ": shorter");
          List<byte[]> longer = new ArrayList<>(proof);
          longer.add(second);
          assertFalse(MerkleTree.verifyConsistency(m, n, first, second, longer), what + ": longer");
        }
      }
    }
  }

  @Test
  void consistency_rewrittenHistory_fails() {
    List<byte[]> entries = entries(20);
    MerkleTree honest = treeOf(entries.subList(0, 9));
    List<byte[]> rewritten = new ArrayList<>(entries);
    rewritten.set(3, "rewritten".getBytes(StandardCharsets.UTF_8));
    MerkleTree forged = treeOf(rewritten);
    for (int n = 9; n <= 20; n++) {
      assertFalse(
          MerkleTree.verifyConsistency(
              9, n, honest.root(), forged.root(n), forged.consistencyProof(9, n)),
          "to size " + n);
    }
  }

  @Test
  void checkConsistency_namesSizesAndFailure() {
    MerkleTree tree = treeOf(entries(8));
    List<byte[]> proof = tree.consistencyProof(3, 8);
    LogException e =
        assertThrows(
            LogException.class,
            () -> MerkleTree.checkConsistency(3, 8, tree.root(2), tree.root(8), proof));
    assertTrue(
        e.getMessage().startsWith("consistency proof from size 3 to size 8: proof yields root"),
        e.getMessage());
    e =
        assertThrows(
            LogException.class,
            () -> MerkleTree.checkConsistency(5, 4, tree.root(5), tree.root(4), List.of()));
    assertEquals(
        "consistency proof from size 5 to size 4: first size must be in [0, second size]",
        e.getMessage());
    e =
        assertThrows(
            LogException.class,
            () -> MerkleTree.checkInclusion(8, 8, tree.leafHash(0), List.of(), tree.root()));
    assertEquals(
        "inclusion proof for leaf 8 in tree of size 8: leaf index is not in [0, tree size)",
        e.getMessage());
  }

  @Test
  void proofs_refuseSizesBeyondTheTree() {
    MerkleTree tree = treeOf(entries(5));
    assertThrows(IllegalArgumentException.class, () -> tree.inclusionProof(5, 5));
    assertThrows(IllegalArgumentException.class, () -> tree.inclusionProof(0, 6));
    assertThrows(IllegalArgumentException.class, () -> tree.consistencyProof(3, 6));
    assertThrows(IllegalArgumentException.class, () -> tree.consistencyProof(4, 3));
    assertThrows(IllegalArgumentException.class, () -> tree.root(6));
    assertThrows(IllegalArgumentException.class, () -> tree.appendLeafHash(new byte[31]));
  }

  @Test
  void hundredThousandEntries_rootsAndProofsStayCheap() {
    int size = 100_000;
    MerkleTree tree = new MerkleTree();
    for (int i = 0; i < size; i++) {
      tree.append(("entry-" + i).getBytes(StandardCharsets.UTF_8));
    }
    Random random = new Random(7);
    byte[] root = tree.root();
    for (int trial = 0; trial < 2_000; trial++) {
      int m = random.nextInt(size);
      int n = m + 1 + random.nextInt(size - m);
      assertTrue(
          MerkleTree.verifyInclusion(
              m, n, tree.leafHash(m), tree.inclusionProof(m, n), tree.root(n)));
      assertTrue(
          MerkleTree.verifyConsistency(
              m, size, tree.root(m), root, tree.consistencyProof(m, size)));
    }
  }
}
