package io.cleanroom.protocol.log;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * The coordinator's Ed25519 private key that signs a protocol log's {@link Checkpoint checkpoints}.
 * Encoded either as the base64 of the raw 32-byte seed of RFC 8032, or as a PEM {@code PRIVATE KEY}
 * (PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes it). {@link #toString()} never
 * shows key material.
 */
public final class LogSigningKey {
  /** Length in bytes of a raw Ed25519 private key (the seed). */
  public static final int RAW_SIZE = Ed25519PrivateKeyParameters.KEY_SIZE;

  private static final String PEM_TYPE = "PRIVATE KEY";

  private final Ed25519PrivateKeyParameters key;
  private final LogPublicKey publicKey;

  private LogSigningKey(Ed25519PrivateKeyParameters key) {
    this.key = key;
    this.publicKey = LogPublicKey.of(key.generatePublicKey());
  }

  /** A new key pair drawn from {@code random}. */
  public static LogSigningKey generate(SecureRandom random) {
    return new LogSigningKey(new Ed25519PrivateKeyParameters(random));
  }

  /** The key from its raw 32-byte seed. */
  public static LogSigningKey fromRaw(byte[] raw) throws LogException {
    if (raw == null || raw.length != RAW_SIZE) {
      throw new LogException(
          "Ed25519 private key must be "
              + RAW_SIZE
              + " bytes, got "
              + (raw == null ? "none" : raw.length));
    }
    return new LogSigningKey(new Ed25519PrivateKeyParameters(raw, 0));
  }

  /** The key from the base64 of its raw 32-byte seed. */
  public static LogSigningKey fromBase64(String base64) throws LogException {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new LogException("Ed25519 private key is not valid base64", e);
    }
    return fromRaw(raw);
  }

  /** The key from a PEM {@code PRIVATE KEY} (PKCS#8) block. */
  public static LogSigningKey fromPem(String pem) throws LogException {
    byte[] der = LogPublicKey.readPem(pem, PEM_TYPE);
    AsymmetricKeyParameter parameters;
    try {
      parameters = PrivateKeyFactory.createKey(der);
    } catch (IOException | RuntimeException e) {
      throw new LogException("PEM PRIVATE KEY is not a valid private key", e);
    }
    if (!(parameters instanceof Ed25519PrivateKeyParameters)) {
      throw new LogException(
          "PEM PRIVATE KEY is a " + parameters.getClass().getSimpleName() + ", not an Ed25519 key");
    }
    return new LogSigningKey((Ed25519PrivateKeyParameters) parameters);
  }

  /** Base64 of the raw 32-byte seed. Secret. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /**
   * A PEM {@code PRIVATE KEY} block (PKCS#8 version 1 as RFC 8410 §7, readable by OpenSSL), ending
   * with a newline. Secret.
   */
  public String toPem() {
    try {
      // Version 1 (RFC 8410 §7, no embedded public key): what OpenSSL writes and reads.
      PrivateKeyInfo info =
          new PrivateKeyInfo(
              new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
              new DEROctetString(key.getEncoded()));
      return LogPublicKey.writePem(PEM_TYPE, info.getEncoded());
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an Ed25519 private key", e);
    }
  }

  /** The matching public key. */
  public LogPublicKey publicKey() {
    return publicKey;
  }

  /** The Ed25519 signature (64 bytes) over {@code message}. */
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** Names the public key's fingerprint only. */
  @Override
  public String toString() {
    return "LogSigningKey[" + publicKey.fingerprint() + "]";
  }
}
