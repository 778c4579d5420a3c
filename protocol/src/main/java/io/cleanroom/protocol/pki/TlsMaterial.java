package io.cleanroom.protocol.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The loaded TLS credentials of one party: the consortium CA certificate, the party's own
 * certificate and its private key, checked to belong together.
 *
 * <p>Also signs data with the party's key, for statements that must be attributable beyond the TLS
 * channel they travelled on.
 */
public final class TlsMaterial {

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final X509Certificate ca;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final PartyIdentity self;

  private TlsMaterial(
      X509Certificate ca, X509Certificate certificate, PrivateKey privateKey, PartyIdentity self) {
    this.ca = ca;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.self = self;
  }

  /**
   * Loads and cross-checks a party's PEM files.
   *
   * @param caCert the consortium CA certificate
   * @param cert the party's certificate, which must be issued by that CA and name a party
   * @param key the party's private key (PKCS#8 or SEC1 PEM, unencrypted), matching {@code cert}
   * @throws IOException if a file is missing or holds no usable PEM object
   * @throws GeneralSecurityException if the files do not belong together or are not valid now
   */
  public static TlsMaterial load(Path caCert, Path cert, Path key)
      throws IOException, GeneralSecurityException {
    X509Certificate ca = PemFiles.readCertificate(caCert);
    X509Certificate certificate = PemFiles.readCertificate(cert);
    PrivateKey privateKey = PemFiles.readPrivateKey(key);
    if (ca.getBasicConstraints() < 0) {
      throw new CertificateException(caCert + ": not a CA certificate");
    }
    try {
      certificate.verify(ca.getPublicKey());
    } catch (SignatureException | InvalidKeyException e) {
      throw new CertificateException(
          cert
              + ": not issued by the consortium CA in "
              + caCert
              + " (issuer "
              + issuer(certificate)
              + ")",
          e);
    }
    checkValidity(ca, caCert);
    checkValidity(certificate, cert);
    requireMatchingKey(certificate, privateKey, key);
    PartyIdentity self;
    try {
      self = PartyIdentity.of(certificate);
    } catch (IllegalArgumentException e) {
      throw new CertificateException(cert + ": " + e.getMessage(), e);
    }
    return new TlsMaterial(ca, certificate, privateKey, self);
  }

  /**
   * Loads {@code tls.crt}, {@code tls.key} and {@code ca.crt} from a party's folder as written by
   * {@link ConsortiumPki}.
   */
  public static TlsMaterial loadDir(Path partyDir) throws IOException, GeneralSecurityException {
    return load(
        partyDir.resolve(ConsortiumPki.CA_CERT_FILE),
        partyDir.resolve(ConsortiumPki.CERT_FILE),
        partyDir.resolve(ConsortiumPki.KEY_FILE));
  }

  /** The consortium CA certificate, the only trust anchor of this party. */
  public X509Certificate ca() {
    return ca;
  }

  /** The party's own certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The party's private key. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Who this party is, according to its certificate. */
  public PartyIdentity self() {
    return self;
  }

  /**
   * Checks that these credentials are {@code expected}'s, e.g. that a node configured as bank-a was
   * not handed bank-b's folder.
   *
   * @param source where the credentials came from, for the message
   * @throws IllegalArgumentException naming both identities otherwise
   */
  public void requireSelf(PartyIdentity expected, Object source) {
    if (!self.equals(expected)) {
      throw new IllegalArgumentException(
          "certificate in " + source + " is for " + self + ", not " + expected);
    }
  }

  /** Signs {@code data} with the party's key (SHA256withECDSA, DER-encoded signature). */
  public byte[] sign(byte[] data) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
    signature.initSign(privateKey);
    signature.update(data);
    return signature.sign();
  }

  /**
   * Checks that {@code signature} is {@code signer}'s signature of {@code data}, as made by {@link
   * #sign}. Does not check who {@code signer} is: callers verify the certificate first.
   *
   * @throws GeneralSecurityException if the signature is not valid
   */
  public static void verify(X509Certificate signer, byte[] data, byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
    verifier.initVerify(signer.getPublicKey());
    verifier.update(data);
    boolean valid;
    try {
      valid = verifier.verify(signature);
    } catch (SignatureException e) {
      throw new SignatureException("invalid signature", e);
    }
    if (!valid) {
      throw new SignatureException("invalid signature");
    }
  }

  // The certificate's public key cannot be derived from a JCA private key in general, so a fresh
  // challenge is signed and verified instead.
  static void requireMatchingKey(X509Certificate certificate, PrivateKey key, Path keyFile)
      throws GeneralSecurityException {
    String certAlgorithm = certificate.getPublicKey().getAlgorithm();
    if (!certAlgorithm.equals("EC")) {
      throw new InvalidKeyException("only EC keys are supported, certificate has " + certAlgorithm);
    }
    if (!certAlgorithm.equals(key.getAlgorithm())) {
      throw new InvalidKeyException(
          keyFile + ": " + key.getAlgorithm() + " key, certificate has " + certAlgorithm);
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
    signature.initSign(key);
    signature.update(challenge);
    byte[] signed = signature.sign();
    signature.initVerify(certificate.getPublicKey());
    signature.update(challenge);
    if (!signature.verify(signed)) {
      throw new InvalidKeyException(keyFile + ": private key does not match the certificate");
    }
  }

  private static void checkValidity(X509Certificate certificate, Path file)
      throws CertificateException {
    try {
      certificate.checkValidity();
    } catch (CertificateException e) {
      throw new CertificateException(file + ": certificate not valid now: " + e.getMessage(), e);
    }
  }

  private static String issuer(X509Certificate certificate) {
    return certificate.getIssuerX500Principal().getName();
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + self + "]";
  }
}
