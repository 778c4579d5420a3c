package io.cleanroom.protocol.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointVerifierTest {
  private static final String STUDY = "st-42";
  private static final LogSigningKey KEY = LogSigningKey.generate(new SecureRandom());

  /** A coordinator-side log in memory: a tree and its last checkpoint. */
  private static final class Log {
    final MerkleTree tree = new MerkleTree();
    long lastSize;

    void append(String entry) {
      tree.append(entry.getBytes(StandardCharsets.UTF_8));
    }

    void appendAll(int from, int to) {
      for (int i = from; i < to; i++) {
        append("entry-" + i);
      }
    }

    CheckpointUpdate checkpoint(LogSigningKey key) {
      long size = tree.size();
      Checkpoint checkpoint = Checkpoint.sign(STUDY, size, tree.root(), 1000 + size, key);
      CheckpointUpdate update =
          new CheckpointUpdate(checkpoint, lastSize, tree.consistencyProof(lastSize, size));
      lastSize = size;
      return update;
    }
  }

  @Test
  void acceptsAGrowingLog() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log log = new Log();
    int size = 0;
    for (int step : new int[] {0, 1, 1, 2, 5, 8, 13, 13, 21, 64, 65}) {
      log.appendAll(size, step);
      size = step;
      CheckpointUpdate update = log.checkpoint(KEY);
      verifier.accept(update);
      assertEquals(step, verifier.accepted().orElseThrow().treeSize());
    }
  }

  @Test
  void firstCheckpoint_needsNoProof() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log log = new Log();
    log.appendAll(0, 10);
    Checkpoint checkpoint = log.checkpoint(KEY).checkpoint();
    verifier.accept(checkpoint, null);
    assertEquals(checkpoint, verifier.accepted().orElseThrow());
  }

  @Test
  void refusesARewrittenHistory_signedWithTheRightKey() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log honest = new Log();
    honest.appendAll(0, 6);
    verifier.accept(honest.checkpoint(KEY));

    Log rewritten = new Log();
    rewritten.appendAll(0, 3);
    rewritten.append("rewritten entry 3");
    rewritten.appendAll(4, 10);
    rewritten.lastSize = 6;
    CheckpointUpdate forged = rewritten.checkpoint(KEY);

    LogException e = assertThrows(LogException.class, () -> verifier.accept(forged));
    assertTrue(
        e.getMessage()
            .startsWith(
                "checkpoint of size 10 is not consistent with the accepted checkpoint of size 6:"
                    + " consistency proof from size 6 to size 10: proof yields root"),
        e.getMessage());
    assertEquals(6, verifier.accepted().orElseThrow().treeSize());

    // The honest continuation is still accepted afterwards.
    honest.appendAll(6, 10);
    verifier.accept(honest.checkpoint(KEY));
    assertEquals(10, verifier.accepted().orElseThrow().treeSize());
  }

  @Test
  void refusesADifferentRootForTheSameSize() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log honest = new Log();
    honest.appendAll(0, 6);
    verifier.accept(honest.checkpoint(KEY));
    Log other = new Log();
    other.appendAll(1, 7);
    other.lastSize = 6;
    LogException e = assertThrows(LogException.class, () -> verifier.accept(other.checkpoint(KEY)));
    assertTrue(
        e.getMessage().contains("from size 6 to size 6: same size but different roots"),
        e.getMessage());
  }

  @Test
  void refusesAShrinkingLog() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log log = new Log();
    log.appendAll(0, 12);
    verifier.accept(log.checkpoint(KEY));
    Log shorter = new Log();
    shorter.appendAll(0, 10);
    Checkpoint checkpoint = shorter.checkpoint(KEY).checkpoint();
    LogException e = assertThrows(LogException.class, () -> verifier.accept(checkpoint, List.of()));
    assertEquals(
        "checkpoint of size 10 is smaller than the accepted checkpoint of size 12: the log shrank",
        e.getMessage());
  }

  @Test
  void refusesABadSignature() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log log = new Log();
    log.appendAll(0, 4);
    byte[] encoded = log.checkpoint(KEY).checkpoint().encode();
    encoded[encoded.length - 1] ^= 0x01;
    Checkpoint forged = Checkpoint.decode(encoded);
    LogException e = assertThrows(LogException.class, () -> verifier.accept(forged, List.of()));
    assertEquals("checkpoint of size 4: signature invalid", e.getMessage());
    assertTrue(verifier.accepted().isEmpty());
  }

  @Test
  void refusesAnotherKey() {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    LogSigningKey other = LogSigningKey.generate(new SecureRandom());
    Log log = new Log();
    log.appendAll(0, 4);
    LogException e = assertThrows(LogException.class, () -> verifier.accept(log.checkpoint(other)));
    assertEquals(
        "checkpoint of size 4: signed by key "
            + other.publicKey().fingerprint()
            + ", not the log key "
            + KEY.publicKey().fingerprint(),
        e.getMessage());
  }

  @Test
  void refusesAnotherStudy() {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), "st-other");
    Log log = new Log();
    log.appendAll(0, 4);
    LogException e = assertThrows(LogException.class, () -> verifier.accept(log.checkpoint(KEY)));
    assertEquals(
        "checkpoint of size 4 is for study \"st-42\", expected \"st-other\"", e.getMessage());
  }

  @Test
  void refusesAProofFromAnotherSize() throws Exception {
    CheckpointVerifier verifier = new CheckpointVerifier(KEY.publicKey(), STUDY);
    Log log = new Log();
    log.appendAll(0, 4);
    verifier.accept(log.checkpoint(KEY));
    log.appendAll(4, 8);
    log.checkpoint(KEY); // missed by this node
    log.appendAll(8, 9);
    CheckpointUpdate update = log.checkpoint(KEY);
    LogException e = assertThrows(LogException.class, () -> verifier.accept(update));
    assertEquals(
        "checkpoint of size 9: its consistency proof starts at size 8 but the last accepted"
            + " checkpoint has size 4",
        e.getMessage());
    // With a proof from the size it holds, the node catches up.
    verifier.accept(update.checkpoint(), log.tree.consistencyProof(4, 9));
    assertEquals(9, verifier.accepted().orElseThrow().treeSize());
  }
}
