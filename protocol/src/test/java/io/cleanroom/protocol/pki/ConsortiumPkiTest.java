package io.cleanroom.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsortiumPkiTest {

  private static final List<String> PARTIES =
      List.of("bank-a", "bank-b", "812", "coordinator", "operator");

  @TempDir static Path shared;
  private static Path pki;

  @TempDir Path fresh;

  @BeforeAll
  static void createPki() throws Exception {
    pki = shared.resolve("pki");
    ConsortiumPki.init(
        pki,
        List.of("bank-a", "bank-b", "812"),
        List.of("bank-a.example.org", "10.1.2.3", "fd00::7"));
  }

  @Test
  void init_writesCaAndOneSelfContainedFolderPerParty() throws Exception {
    assertTrue(Files.isRegularFile(pki.resolve("ca/ca.crt")));
    assertTrue(Files.isRegularFile(pki.resolve("ca/ca.key")));
    byte[] caPem = Files.readAllBytes(pki.resolve("ca/ca.crt"));
    for (String party : PARTIES) {
      Path dir = pki.resolve(party);
      assertTrue(Files.isRegularFile(dir.resolve("tls.crt")), party);
      assertTrue(
          Files.readString(dir.resolve("tls.key")).startsWith("-----BEGIN PRIVATE KEY-----\n"),
          party);
      assertArrayEquals(caPem, Files.readAllBytes(dir.resolve("ca.crt")), party);
    }
    try (var entries = Files.list(pki)) {
      assertEquals(PARTIES.size() + 1, entries.count());
    }
  }

  @Test
  void init_keysAreOwnerReadableOnly() throws Exception {
    if (!pki.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("ca/ca.key"))));
    for (String party : PARTIES) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(pki.resolve(party).resolve("tls.key"))),
          party);
    }
  }

  @Test
  void caCertificate_isSelfSignedP256CaWithPathLengthZero() throws Exception {
    X509Certificate ca = PemFiles.readCertificate(pki.resolve("ca/ca.crt"));

    ca.verify(ca.getPublicKey());
    assertEquals("CN=Cleanroom consortium CA,O=Cleanroom consortium", name(ca));
    assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
    assertEquals(0, ca.getBasicConstraints());
    assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"));
    boolean[] usage = ca.getKeyUsage();
    assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
    assertFalse(usage[0], "digitalSignature");
    assertEquals("SHA256withECDSA", ca.getSigAlgName());
    assertEquals(
        256, ((ECPublicKey) ca.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertValidFor(ca, Duration.ofDays(5 * 365));
  }

  @Test
  void leafCertificates_carryNameRoleSansAndBothKeyPurposes() throws Exception {
    X509Certificate ca = PemFiles.readCertificate(pki.resolve("ca/ca.crt"));
    Set<String> roles = new HashSet<>();
    Set<Object> serials = new HashSet<>();
    for (String party : PARTIES) {
      X509Certificate leaf = PemFiles.readCertificate(pki.resolve(party).resolve("tls.crt"));
      PartyIdentity identity = PartyIdentity.of(leaf);
      roles.add(identity.role().label());

      assertEquals(party, identity.name());
      assertEquals(
          "CN=" + party + ",OU=" + identity.role().label() + ",O=Cleanroom consortium", name(leaf));
      assertEquals(ca.getSubjectX500Principal(), leaf.getIssuerX500Principal());
      assertEquals(-1, leaf.getBasicConstraints());
      assertArrayEquals(
          new boolean[] {true, false, false, false, false, false, false, false, false},
          leaf.getKeyUsage());
      assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage());
      List<String> sans = new ArrayList<>();
      for (List<?> san : leaf.getSubjectAlternativeNames()) {
        sans.add(san.get(0) + ":" + san.get(1));
      }
      assertEquals(
          List.of(
              "2:" + party,
              "2:localhost",
              "7:127.0.0.1",
              "7:0:0:0:0:0:0:0:1",
              "2:bank-a.example.org",
              "7:10.1.2.3",
              "7:fd00:0:0:0:0:0:0:7"),
          sans);
      assertTrue(leaf.getSerialNumber().bitLength() <= 128);
      assertTrue(leaf.getSerialNumber().bitLength() > 64, "random 128-bit serial");
      assertTrue(serials.add(leaf.getSerialNumber()));
      assertEquals("SHA256withECDSA", leaf.getSigAlgName());
      assertValidFor(leaf, Duration.ofDays(2 * 365));
      leaf.verify(ca.getPublicKey());
      assertPkixValid(leaf, ca);
    }
    assertEquals(Set.of("node", "coordinator", "operator"), roles);
  }

  @Test
  void init_withExistingCa_refusedAndCaKeptIntact() throws Exception {
    byte[] key = Files.readAllBytes(pki.resolve("ca/ca.key"));

    FileAlreadyExistsException e =
        assertThrows(
            FileAlreadyExistsException.class,
            () -> ConsortiumPki.init(pki, List.of("bank-x", "bank-y"), List.of()));

    assertTrue(e.getMessage().contains("a consortium CA already exists"), e.getMessage());
    assertArrayEquals(key, Files.readAllBytes(pki.resolve("ca/ca.key")));
    assertFalse(Files.exists(pki.resolve("bank-x")));
  }

  @Test
  void init_withoutNodes_writesTheCaCoordinatorAndOperatorOnly() throws Exception {
    ConsortiumPki.init(fresh, List.of(), List.of());
    try (var listing = Files.list(fresh)) {
      assertEquals(
          List.of("ca", "coordinator", "operator"),
          listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(Role.OPERATOR, TlsMaterial.loadDir(fresh.resolve("operator")).self().role());
  }

  @Test
  void init_withBadNodeNames_refusedBeforeWritingAnything() {
    assertRefused(List.of("bank-a", "bank-b", "bank-a"), "duplicate node name: \"bank-a\"");
    assertRefused(List.of("bank-a", "Bank-B"), "invalid party name: \"Bank-B\"");
    assertRefused(List.of("bank-a", "-b"), "invalid party name");
    assertRefused(List.of("bank-a", "bank_b"), "invalid party name");
    assertRefused(List.of("bank-a", ""), "invalid party name");
    assertRefused(List.of("bank-a", "b".repeat(64)), "invalid party name");
    assertRefused(List.of("bank-a", "coordinator"), "node name \"coordinator\" is reserved");
    assertRefused(List.of("bank-a", "operator"), "node name \"operator\" is reserved");
    assertRefused(List.of("bank-a", "ca"), "reserved for the CA folder");
  }

  @Test
  void init_withBadExtraHost_refused() {
    for (String host : List.of("bad host", "1.2.3.999", "a..b", "-x.org", "10.0.0.0/8", ":::")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ConsortiumPki.init(fresh, List.of("bank-a", "bank-b"), List.of(host)),
              host);
      assertTrue(e.getMessage().contains(host), e.getMessage());
    }
    assertFalse(Files.exists(fresh.resolve("ca")));
  }

  @Test
  void issue_enrolsNewBankUnderExistingCa() throws Exception {
    Path out = fresh.resolve("pki");
    ConsortiumPki.init(out, List.of("bank-a", "bank-b"), List.of());

    ConsortiumPki.issue(out, "bank-d", Role.NODE, List.of("bank-d.example.org"));

    TlsMaterial bankD = TlsMaterial.loadDir(out.resolve("bank-d"));
    assertEquals(new PartyIdentity("bank-d", Role.NODE), bankD.self());
    X509Certificate ca = PemFiles.readCertificate(out.resolve("ca/ca.crt"));
    assertEquals(ca, bankD.ca());
    assertPkixValid(bankD.certificate(), ca);
    assertTrue(
        bankD.certificate().getSubjectAlternativeNames().stream()
            .anyMatch(san -> san.get(1).equals("bank-d.example.org")));
  }

  @Test
  void issue_refusesExistingPartyReservedNamesAndMissingCa() throws Exception {
    Path out = fresh.resolve("pki");
    ConsortiumPki.init(out, List.of("bank-a", "bank-b"), List.of());

    assertThrows(
        FileAlreadyExistsException.class,
        () -> ConsortiumPki.issue(out, "bank-a", Role.NODE, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConsortiumPki.issue(out, "operator", Role.NODE, List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> ConsortiumPki.issue(out, "ca", Role.NODE, List.of()));
    IOException missing =
        assertThrows(
            IOException.class,
            () -> ConsortiumPki.issue(fresh.resolve("nowhere"), "bank-d", Role.NODE, List.of()));
    assertTrue(missing.getMessage().contains("ca.crt"), missing.getMessage());
  }

  private void assertRefused(List<String> nodes, String reason) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConsortiumPki.init(fresh, nodes, List.of()),
            nodes.toString());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertFalse(Files.exists(fresh.resolve("ca")));
  }

  private static String name(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  private static void assertValidFor(X509Certificate certificate, Duration validity) {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    assertTrue(notBefore.isBefore(Instant.now()));
    Duration actual = Duration.between(Instant.now(), notAfter);
    assertTrue(
        actual.compareTo(validity.minusDays(1)) > 0 && actual.compareTo(validity.plusDays(2)) < 0,
        actual.toString());
  }

  private static void assertPkixValid(X509Certificate leaf, X509Certificate ca) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(
            CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    assertNotEquals(leaf, ca);
  }
}
