package io.cleanroom.protocol.linkage;

import io.cleanroom.protocol.wire.v1.IdentifierKind;

/**
 * Keyed hashing of a normalised identifier: the same key, kind and value always give the same 16
 * bytes; without the key the output reveals nothing about the value (a PRF). Kinds are separated,
 * so a phone number never matches an e-mail address with the same characters.
 */
public interface LinkageHasher {

  /** Bytes of a blinded value. */
  int BYTES = 16;

  /**
   * Writes the 16-byte blinded value of {@code value} of {@code kind} into {@code out[offset..]}.
   */
  void blind(IdentifierKind kind, String value, byte[] out, int offset);

  /** The 16-byte blinded value of {@code value} of {@code kind}. */
  default byte[] blind(IdentifierKind kind, String value) {
    byte[] out = new byte[BYTES];
    blind(kind, value, out, 0);
    return out;
  }
}
