package io.cleanroom.protocol.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.SecureRandom;

/**
 * Arbitrary bytes as a stored checkpoint: the one encoding of a checkpoint, or a LogException; a
 * decoded checkpoint's signature never verifies under a key that did not make it.
 */
class CheckpointFuzzTest {
  private static final LogPublicKey STRANGER =
      LogSigningKey.generate(new SecureRandom()).publicKey();

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] bytes) {
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.decode(bytes);
    } catch (LogException e) {
      assertTrue(e.getMessage().startsWith("checkpoint"), e.getMessage());
      return;
    }
    assertArrayEquals(bytes, checkpoint.encode());
    assertFalse(checkpoint.signatureValid(STRANGER));
  }
}
