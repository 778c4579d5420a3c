package io.cleanroom.protocol.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Creates the consortium's certificate authority and issues the certificates of its parties.
 *
 * <p>Layout of the output directory (PEM files, keys as unencrypted PKCS#8 with mode 0600 where the
 * file system is POSIX):
 *
 * <pre>
 * outDir/ca/ca.crt  outDir/ca/ca.key
 * outDir/&lt;party&gt;/tls.crt  outDir/&lt;party&gt;/tls.key  outDir/&lt;party&gt;/ca.crt
 * </pre>
 *
 * <p>A party's folder is self-contained and is all that party needs ({@link
 * TlsMaterial#loadDir(Path)}); the {@code ca} folder holds the CA key and stays with whoever enrols
 * new parties.
 */
public final class ConsortiumPki {

  /** Folder of the CA inside the output directory; therefore not a usable party name. */
  public static final String CA_DIR = "ca";

  /** Name of the coordinator's certificate. */
  public static final String COORDINATOR = "coordinator";

  /** Name of the operators' certificate. */
  public static final String OPERATOR = "operator";

  /** File name of a party's certificate inside its folder. */
  public static final String CERT_FILE = "tls.crt";

  /** File name of a party's private key inside its folder. */
  public static final String KEY_FILE = "tls.key";

  /** File name of the CA certificate, in the CA's and in every party's folder. */
  public static final String CA_CERT_FILE = "ca.crt";

  static final String CA_KEY_FILE = "ca.key";
  static final String ORGANIZATION = "Cleanroom consortium";
  static final String CA_COMMON_NAME = "Cleanroom consortium CA";
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final Duration CA_VALIDITY = Duration.ofDays(5 * 365 + 1);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(2 * 365);
  // Parties' clocks are not synchronised to the second; a certificate must work right away.
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final SecureRandom random;

  private ConsortiumPki(SecureRandom random) {
    this.random = random;
  }

  /**
   * Creates a new consortium CA in {@code outDir/ca} and issues certificates for every node ({@link
   * Role#NODE}), for {@code coordinator} ({@link Role#COORDINATOR}) and for {@code operator}
   * ({@link Role#OPERATOR}).
   *
   * @param nodeNames names of the bank nodes whose keys the CA may create; empty when every bank
   *     enrols with its own key ({@link #request}, {@link #sign}), as in production
   * @param extraHosts further DNS names or IP literals put into every party's certificate, e.g. the
   *     hosts parties are reached at
   * @throws IllegalArgumentException if a name is invalid, duplicated or reserved, or an extra host
   *     is neither a DNS name nor an IP literal
   * @throws FileAlreadyExistsException if {@code outDir} already holds a CA key or party files
   */
  public static void init(Path outDir, List<String> nodeNames, List<String> extraHosts)
      throws IOException, GeneralSecurityException {
    List<PartyIdentity> parties = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : nodeNames) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException("duplicate node name: \"" + name + "\"");
      }
      parties.add(checkedParty(name, Role.NODE));
    }
    parties.add(new PartyIdentity(COORDINATOR, Role.COORDINATOR));
    parties.add(new PartyIdentity(OPERATOR, Role.OPERATOR));
    List<GeneralName> hosts = extraHostNames(extraHosts);

    Path caKey = outDir.resolve(CA_DIR).resolve(CA_KEY_FILE);
    if (Files.exists(caKey)) {
      throw new FileAlreadyExistsException(
          caKey.toString(), null, "a consortium CA already exists, refusing to overwrite it");
    }
    refuseExisting(outDir.resolve(CA_DIR).resolve(CA_CERT_FILE));
    for (PartyIdentity party : parties) {
      refuseExistingParty(outDir, party.name());
    }

    ConsortiumPki pki = new ConsortiumPki(new SecureRandom());
    KeyPair caKeys = pki.newKeyPair();
    X509Certificate ca = pki.selfSignedCa(caKeys);
    Files.createDirectories(caKey.getParent());
    PemFiles.writeCertificate(caKey.resolveSibling(CA_CERT_FILE), ca);
    PemFiles.writePrivateKey(caKey, caKeys.getPrivate());
    for (PartyIdentity party : parties) {
      pki.writeLeaf(outDir, party, hosts, ca, caKeys.getPrivate());
    }
  }

  /**
   * Issues one more party certificate from the CA in {@code outDir}, e.g. to enrol a new bank node;
   * writes {@code outDir/<name>/} like {@link #init}.
   *
   * @throws IllegalArgumentException if the name is invalid or reserved, or an extra host is
   *     neither a DNS name nor an IP literal
   * @throws FileAlreadyExistsException if the party's files already exist
   * @throws IOException if the CA files cannot be read
   */
  public static void issue(Path outDir, String name, Role role, List<String> extraHosts)
      throws IOException, GeneralSecurityException {
    PartyIdentity party = checkedParty(name, role);
    List<GeneralName> hosts = extraHostNames(extraHosts);
    Path caDir = outDir.resolve(CA_DIR);
    X509Certificate ca = PemFiles.readCertificate(caDir.resolve(CA_CERT_FILE));
    PrivateKey caKey = PemFiles.readPrivateKey(caDir.resolve(CA_KEY_FILE));
    TlsMaterial.requireMatchingKey(ca, caKey, caDir.resolve(CA_KEY_FILE));
    refuseExistingParty(outDir, name);
    new ConsortiumPki(new SecureRandom()).writeLeaf(outDir, party, hosts, ca, caKey);
  }

  /** File name of a party's certificate signing request inside its folder ({@link #request}). */
  public static final String CSR_FILE = "tls.csr";

  /**
   * The first half of enrolling a party without its private key ever leaving its host: creates the
   * party's key pair in {@code partyDir/tls.key} and a PKCS #10 certificate signing request (RFC
   * 2986) in {@code partyDir/tls.csr}, to be sent to whoever holds the consortium CA ({@link
   * #sign}).
   *
   * @throws IllegalArgumentException if the name is invalid or reserved
   * @throws FileAlreadyExistsException if the key or request already exists
   */
  public static void request(Path partyDir, String name, Role role)
      throws IOException, GeneralSecurityException {
    PartyIdentity party = checkedParty(name, role);
    refuseExisting(partyDir.resolve(KEY_FILE));
    refuseExisting(partyDir.resolve(CSR_FILE));
    ConsortiumPki pki = new ConsortiumPki(new SecureRandom());
    KeyPair keys = pki.newKeyPair();
    ContentSigner signer;
    try {
      signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(keys.getPrivate());
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create request signer", e);
    }
    PKCS10CertificationRequest request =
        new JcaPKCS10CertificationRequestBuilder(subject(party), keys.getPublic()).build(signer);
    Files.createDirectories(partyDir);
    PemFiles.writePrivateKey(partyDir.resolve(KEY_FILE), keys.getPrivate());
    PemFiles.writeCertificationRequest(partyDir.resolve(CSR_FILE), request);
  }

  /**
   * The second half of enrolment, done by whoever holds the CA in {@code outDir}: checks the
   * request's self-signature (proof that the requester holds the key) and that its subject names a
   * valid party of {@code role}, then issues the party's certificate for the requested key into
   * {@code certDir/tls.crt} with the CA certificate in {@code certDir/ca.crt}, both to be sent back
   * to the party. The subject's organisation and unit are set by the CA, whatever the request says.
   *
   * @return the identity the certificate was issued to
   * @throws IllegalArgumentException if the request's signature does not verify, its subject has no
   *     valid common name, the name is reserved, its key is not an EC P-256 key, or an extra host
   *     is neither a DNS name nor an IP literal
   * @throws FileAlreadyExistsException if {@code certDir} already holds a certificate
   */
  public static PartyIdentity sign(
      Path outDir, Path csr, Role role, List<String> extraHosts, Path certDir)
      throws IOException, GeneralSecurityException {
    PKCS10CertificationRequest request = PemFiles.readCertificationRequest(csr);
    JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
    PublicKey key = jca.getPublicKey();
    if (!(key instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException(csr + ": the requested key is not an EC P-256 key");
    }
    try {
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException(
            csr + ": the request's signature does not verify with its key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException(csr + ": cannot check the request's signature", e);
    }
    RDN[] cn = request.getSubject().getRDNs(BCStyle.CN);
    if (cn.length != 1) {
      throw new IllegalArgumentException(csr + ": the request's subject needs exactly one CN");
    }
    String name = IETFUtils.valueToString(cn[0].getFirst().getValue());
    PartyIdentity party;
    try {
      party = checkedParty(name, role);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(csr + ": " + e.getMessage(), e);
    }
    List<GeneralName> hosts = extraHostNames(extraHosts);
    Path caDir = outDir.resolve(CA_DIR);
    X509Certificate ca = PemFiles.readCertificate(caDir.resolve(CA_CERT_FILE));
    PrivateKey caKey = PemFiles.readPrivateKey(caDir.resolve(CA_KEY_FILE));
    TlsMaterial.requireMatchingKey(ca, caKey, caDir.resolve(CA_KEY_FILE));
    refuseExisting(certDir.resolve(CERT_FILE));
    refuseExisting(certDir.resolve(CA_CERT_FILE));
    X509Certificate leaf = new ConsortiumPki(new SecureRandom()).leaf(party, key, hosts, ca, caKey);
    Files.createDirectories(certDir);
    PemFiles.writeCertificate(certDir.resolve(CA_CERT_FILE), ca);
    PemFiles.writeCertificate(certDir.resolve(CERT_FILE), leaf);
    return party;
  }

  private static X500Name subject(PartyIdentity party) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, ORGANIZATION)
        .addRDN(BCStyle.OU, party.role().label())
        .addRDN(BCStyle.CN, party.name())
        .build();
  }

  private static PartyIdentity checkedParty(String name, Role role) {
    PartyIdentity party = new PartyIdentity(name, role);
    if (name.equals(CA_DIR)) {
      throw new IllegalArgumentException("party name \"ca\" is reserved for the CA folder");
    }
    if (role == Role.NODE && (name.equals(COORDINATOR) || name.equals(OPERATOR))) {
      throw new IllegalArgumentException("node name \"" + name + "\" is reserved");
    }
    return party;
  }

  private static void refuseExistingParty(Path outDir, String name) throws IOException {
    Path dir = outDir.resolve(name);
    for (String file : List.of(CERT_FILE, KEY_FILE, CA_CERT_FILE)) {
      refuseExisting(dir.resolve(file));
    }
  }

  private static void refuseExisting(Path file) throws FileAlreadyExistsException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite it");
    }
  }

  private static List<GeneralName> extraHostNames(List<String> extraHosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String host : extraHosts) {
      names.add(hostName(host));
    }
    return names;
  }

  private static GeneralName hostName(String host) {
    if (host.contains("/")) {
      throw new IllegalArgumentException("invalid host: \"" + host + "\"");
    }
    if (host.contains(":") || IPV4.matcher(host).matches()) {
      try {
        // Only literals reach this point, so no name lookup happens.
        return new GeneralName(GeneralName.iPAddress, host);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid IP address: \"" + host + "\"", e);
      }
    }
    String dns = host.toLowerCase(Locale.ROOT);
    if (dns.isEmpty() || dns.length() > 253) {
      throw new IllegalArgumentException("invalid host name: \"" + host + "\"");
    }
    for (String label : dns.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("invalid host name: \"" + host + "\"");
      }
    }
    return new GeneralName(GeneralName.dNSName, dns);
  }

  private void writeLeaf(
      Path outDir,
      PartyIdentity party,
      List<GeneralName> extraHosts,
      X509Certificate ca,
      PrivateKey caKey)
      throws IOException, GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X509Certificate leaf = leaf(party, keys.getPublic(), extraHosts, ca, caKey);
    Path dir = Files.createDirectories(outDir.resolve(party.name()));
    PemFiles.writeCertificate(dir.resolve(CA_CERT_FILE), ca);
    PemFiles.writeCertificate(dir.resolve(CERT_FILE), leaf);
    PemFiles.writePrivateKey(dir.resolve(KEY_FILE), keys.getPrivate());
  }

  private KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private X509Certificate selfSignedCa(KeyPair keys) throws GeneralSecurityException {
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, ORGANIZATION)
            .addRDN(BCStyle.CN, CA_COMMON_NAME)
            .build();
    Instant now = Instant.now();
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(now.minus(BACKDATE)),
            Date.from(now.plus(CA_VALIDITY)),
            subject,
            keys.getPublic());
    try {
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(
              Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode CA extensions", e);
    }
    return sign(builder, keys.getPrivate());
  }

  private X509Certificate leaf(
      PartyIdentity party,
      PublicKey publicKey,
      List<GeneralName> extraHosts,
      X509Certificate ca,
      PrivateKey caKey)
      throws GeneralSecurityException {
    X500Name subject = subject(party);
    Instant now = Instant.now();
    Instant notAfter = now.plus(LEAF_VALIDITY);
    // A leaf outliving its CA would only fail later and more confusingly.
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    if (!notAfter.isAfter(now)) {
      throw new GeneralSecurityException(
          "consortium CA expired on " + ca.getNotAfter().toInstant().atOffset(ZoneOffset.UTC));
    }
    Set<GeneralName> sans = new LinkedHashSet<>();
    sans.add(new GeneralName(GeneralName.dNSName, party.name()));
    sans.add(new GeneralName(GeneralName.dNSName, "localhost"));
    sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
    sans.addAll(extraHosts);
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            ca, serial(), Date.from(now.minus(BACKDATE)), Date.from(notAfter), subject, publicKey);
    try {
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(
                  new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                  }))
          .addExtension(
              Extension.subjectAlternativeName,
              false,
              new GeneralNames(sans.toArray(new GeneralName[0])))
          .addExtension(
              Extension.subjectKeyIdentifier,
              false,
              extensions.createSubjectKeyIdentifier(publicKey))
          .addExtension(
              Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode certificate extensions", e);
    }
    return sign(builder, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws GeneralSecurityException {
    ContentSigner signer;
    try {
      signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signingKey);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create certificate signer", e);
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private BigInteger serial() {
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }
}
