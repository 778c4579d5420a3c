package io.cleanroom.protocol.sharing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A pseudorandom generator of ring elements: AES-128 in counter mode over a 128-bit seed (NIST SP
 * 800-38A CTR mode; the keystream of a block cipher is indistinguishable from uniform for up to
 * 2^64 blocks). Shares drawn from it are uniform to anyone who does not know the seed, and AES-NI
 * makes it fast enough for whole columns of a national-scale graph.
 *
 * <p>Not thread-safe: one generator per protocol thread.
 */
public final class Prg {

  private static final int SEED_BYTES = 16;
  private static final int CHUNK_BYTES = 1 << 16;

  /** The plaintext of the keystream: never written, so all generators share it. */
  private static final byte[] ZEROS = new byte[CHUNK_BYTES];

  private final Cipher cipher;

  /** Keystream buffer, grown to the largest chunk asked for: most generators draw a few words. */
  private byte[] out = new byte[0];

  private Prg(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("seed must be 16 bytes, got " + seed.length);
    }
    try {
      cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR is not available in this JVM", e);
    }
  }

  /** A generator over a given 128-bit seed, e.g. one shared by two parties. */
  public static Prg fromSeed(byte[] seed) {
    return new Prg(seed.clone());
  }

  /** A generator over a fresh seed from {@code random}. */
  public static Prg fresh(SecureRandom random) {
    byte[] seed = new byte[SEED_BYTES];
    random.nextBytes(seed);
    return new Prg(seed);
  }

  /** Fills {@code dst} with uniformly random ring elements. */
  public void fill(long[] dst) {
    int done = 0;
    while (done < dst.length) {
      int n = Math.min(dst.length - done, CHUNK_BYTES / Long.BYTES);
      int bytes = n * Long.BYTES;
      if (out.length < bytes) {
        out = new byte[bytes];
      }
      try {
        cipher.update(ZEROS, 0, bytes, out, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR keystream failed", e);
      }
      ByteBuffer.wrap(out, 0, bytes)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asLongBuffer()
          .get(dst, done, n);
      done += n;
    }
  }

  /** {@code n} uniformly random ring elements. */
  public long[] next(int n) {
    long[] v = new long[n];
    fill(v);
    return v;
  }
}
