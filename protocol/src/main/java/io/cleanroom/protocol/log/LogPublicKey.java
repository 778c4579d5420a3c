package io.cleanroom.protocol.log;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The Ed25519 public key that checks a protocol log's {@link Checkpoint checkpoints}: the raw 32
 * bytes of RFC 8032, encoded either as raw base64 or as a PEM {@code PUBLIC KEY}
 * (SubjectPublicKeyInfo, as {@code openssl pkey -pubin} reads it).
 */
public final class LogPublicKey {
  /** Length in bytes of a raw Ed25519 public key. */
  public static final int RAW_SIZE = Ed25519PublicKeyParameters.KEY_SIZE;

  private static final String PEM_TYPE = "PUBLIC KEY";

  private final Ed25519PublicKeyParameters key;
  private final byte[] raw;

  private LogPublicKey(Ed25519PublicKeyParameters key) {
    this.key = key;
    this.raw = key.getEncoded();
  }

  static LogPublicKey of(Ed25519PublicKeyParameters key) {
    return new LogPublicKey(key);
  }

  /** The key from its raw 32 bytes. */
  public static LogPublicKey fromRaw(byte[] raw) throws LogException {
    if (raw == null || raw.length != RAW_SIZE) {
      throw new LogException(
          "Ed25519 public key must be "
              + RAW_SIZE
              + " bytes, got "
              + (raw == null ? "none" : raw.length));
    }
    try {
      return new LogPublicKey(new Ed25519PublicKeyParameters(raw, 0));
    } catch (IllegalArgumentException e) {
      throw new LogException("not a valid Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** The key from the base64 of its raw 32 bytes. */
  public static LogPublicKey fromBase64(String base64) throws LogException {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new LogException("Ed25519 public key is not valid base64: " + e.getMessage(), e);
    }
    return fromRaw(raw);
  }

  /** The key from a PEM {@code PUBLIC KEY} block. */
  public static LogPublicKey fromPem(String pem) throws LogException {
    byte[] der = readPem(pem, PEM_TYPE);
    AsymmetricKeyParameter parameters;
    try {
      parameters = PublicKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      throw new LogException("PEM PUBLIC KEY is not a valid public key: " + e.getMessage(), e);
    }
    if (!(parameters instanceof Ed25519PublicKeyParameters)) {
      throw new LogException(
          "PEM PUBLIC KEY is a " + parameters.getClass().getSimpleName() + ", not an Ed25519 key");
    }
    return new LogPublicKey((Ed25519PublicKeyParameters) parameters);
  }

  /** The raw 32 bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /** Base64 of the raw 32 bytes. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  /** A PEM {@code PUBLIC KEY} block (SubjectPublicKeyInfo), ending with a newline. */
  public String toPem() {
    try {
      return writePem(
          PEM_TYPE, SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key).getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an Ed25519 public key", e);
    }
  }

  /**
   * The key's fingerprint: lower-case hex of the first 16 bytes of SHA-256 over the raw 32-byte
   * key.
   */
  public String fingerprint() {
    return MerkleTree.hex(keyId());
  }

  /** The first 16 bytes of SHA-256 over the raw key, as carried by a {@link Checkpoint}. */
  byte[] keyId() {
    return Arrays.copyOf(Codec.sha256(raw), Checkpoint.KEY_ID_SIZE);
  }

  /** Whether {@code signature} is this key's Ed25519 signature over {@code message}. */
  public boolean verify(byte[] message, byte[] signature) {
    if (signature == null || signature.length != Checkpoint.SIGNATURE_SIZE) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, key);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogPublicKey && Arrays.equals(raw, ((LogPublicKey) other).raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "LogPublicKey[" + fingerprint() + "]";
  }

  static byte[] readPem(String pem, String type) throws LogException {
    if (pem == null) {
      throw new LogException("no PEM " + type + " given");
    }
    PemObject object;
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      object = reader.readPemObject();
    } catch (IOException | RuntimeException e) {
      throw new LogException("unreadable PEM " + type + ": " + e.getMessage(), e);
    }
    if (object == null) {
      throw new LogException("no PEM " + type + " block found");
    }
    if (!type.equals(object.getType())) {
      throw new LogException("PEM block is " + object.getType() + ", expected " + type);
    }
    return object.getContent();
  }

  static String writePem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM to a string", e);
    }
    return out.toString();
  }
}
