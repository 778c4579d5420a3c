package io.cleanroom.protocol.linkage;

import io.cleanroom.protocol.wire.v1.IdentifierKind;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * HMAC-SHA256 (RFC 2104) of {@code kind ‖ 0x00 ‖ UTF-8(value)}, truncated to 128 bits (NIST SP
 * 800-107: truncated HMAC keeps PRF security at the truncated length; 128 bits make an accidental
 * match between distinct values negligible, about 2^−88 for 10^6 values).
 *
 * <p>BouncyCastle's HMac keeps the key's inner and outer pad states and restores them for each
 * value, so a short identifier costs two SHA-256 compressions. Not thread-safe: one per thread.
 */
public final class HmacLinkageHasher implements LinkageHasher {

  private final HMac mac = new HMac(new SHA256Digest());
  private final byte[] full = new byte[32];

  public HmacLinkageHasher(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("linkage key must be at least 16 bytes");
    }
    mac.init(new KeyParameter(key));
  }

  @Override
  public void blind(IdentifierKind kind, String value, byte[] out, int offset) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("an empty identifier never links; do not blind it");
    }
    mac.update((byte) kind.getNumber());
    mac.update((byte) 0);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    mac.update(v, 0, v.length);
    mac.doFinal(full, 0);
    System.arraycopy(full, 0, out, offset, BYTES);
  }

  /** Re-blinds an already blinded 16-byte value (the coordinator's second hash). */
  public void reblind(IdentifierKind kind, byte[] in, int inOffset, byte[] out, int outOffset) {
    mac.update((byte) kind.getNumber());
    mac.update((byte) 1);
    mac.update(in, inOffset, BYTES);
    mac.doFinal(full, 0);
    System.arraycopy(full, 0, out, outOffset, BYTES);
  }
}
