package io.cleanroom.protocol.linkage;

import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.wire.v1.Batch;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The consortium's linkage key for one study, derived by the banks together over their node-to-node
 * channels: each bank draws 256 random bits and sends them to every other bank; the key is SHA-256
 * of all contributions in party order. Every bank learns the key; the coordinator, which never
 * carries node-to-node traffic, learns nothing. Against semi-honest banks the key is uniform as
 * long as one bank's contribution is. One round, 4 elements to each other bank.
 */
public final class ConsortiumKey {
  private ConsortiumKey() {}

  public static byte[] derive(Transport transport, String step, SecureRandom random) {
    long[] mine = new long[4];
    for (int i = 0; i < mine.length; i++) {
      mine[i] = random.nextLong();
    }
    for (String p : transport.parties()) {
      if (!p.equals(transport.self())) {
        transport.send(p, step, Batch.Kind.SHARES, mine);
      }
    }
    ByteBuffer all = ByteBuffer.allocate(transport.parties().size() * 32);
    for (String p : transport.parties()) {
      long[] c = p.equals(transport.self()) ? mine : transport.receive(p, step);
      if (c.length != 4) {
        throw new IllegalStateException(p + " sent a key contribution of " + c.length + " words");
      }
      for (long v : c) {
        all.putLong(v);
      }
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(all.array());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
