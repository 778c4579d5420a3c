package io.cleanroom.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {

  @TempDir static Path dir;
  private static Path pki;
  private static Path other;

  @BeforeAll
  static void createPkis() throws Exception {
    pki = dir.resolve("pki");
    ConsortiumPki.init(pki, List.of("bank-a", "bank-b"), List.of());
    other = dir.resolve("other");
    ConsortiumPki.init(other, List.of("bank-a", "bank-b"), List.of());
  }

  @Test
  void loadDir_readsPartyFolder() throws Exception {
    TlsMaterial material = TlsMaterial.loadDir(pki.resolve("bank-a"));

    assertEquals(new PartyIdentity("bank-a", Role.NODE), material.self());
    assertEquals(PemFiles.readCertificate(pki.resolve("ca/ca.crt")), material.ca());
    assertEquals("EC", material.privateKey().getAlgorithm());
    assertEquals(PemFiles.readCertificate(pki.resolve("bank-a/tls.crt")), material.certificate());
  }

  @Test
  void load_missingFile_namesTheFile() {
    Path missing = pki.resolve("bank-a/nope.key");

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                TlsMaterial.load(pki.resolve("ca/ca.crt"), pki.resolve("bank-a/tls.crt"), missing));

    assertEquals("missing private key file: " + missing, e.getMessage());
  }

  @Test
  void load_unparsableFile_namesTheFile() throws Exception {
    Path garbage = dir.resolve("garbage.crt");
    Files.writeString(garbage, "not a certificate\n", StandardCharsets.US_ASCII);

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                TlsMaterial.load(
                    garbage, pki.resolve("bank-a/tls.crt"), pki.resolve("bank-a/tls.key")));

    assertTrue(e.getMessage().startsWith(garbage.toString()), e.getMessage());
  }

  @Test
  void load_keyWhereCertificateExpected_refused() {
    Path key = pki.resolve("bank-a/tls.key");

    IOException e =
        assertThrows(IOException.class, () -> TlsMaterial.load(pki.resolve("ca/ca.crt"), key, key));

    assertEquals(key + ": not a PEM certificate", e.getMessage());
  }

  @Test
  void load_keyNotMatchingCertificate_refused() {
    Path key = pki.resolve("bank-b/tls.key");

    GeneralSecurityException e =
        assertThrows(
            GeneralSecurityException.class,
            () -> TlsMaterial.load(pki.resolve("ca/ca.crt"), pki.resolve("bank-a/tls.crt"), key));

    assertEquals(key + ": private key does not match the certificate", e.getMessage());
  }

  @Test
  void load_certificateFromAnotherCa_refused() {
    Path foreign = other.resolve("bank-a/tls.crt");

    CertificateException e =
        assertThrows(
            CertificateException.class,
            () ->
                TlsMaterial.load(
                    pki.resolve("ca/ca.crt"), foreign, other.resolve("bank-a/tls.key")));

    assertTrue(
        e.getMessage().startsWith(foreign + ": not issued by the consortium CA in "),
        e.getMessage());
  }

  @Test
  void load_leafAsCa_refused() {
    Path leaf = pki.resolve("bank-b/tls.crt");

    CertificateException e =
        assertThrows(
            CertificateException.class,
            () ->
                TlsMaterial.load(
                    leaf, pki.resolve("bank-a/tls.crt"), pki.resolve("bank-a/tls.key")));

    assertEquals(leaf + ": not a CA certificate", e.getMessage());
  }

  @Test
  void signThenVerify_succeeds() throws Exception {
    TlsMaterial bankA = TlsMaterial.loadDir(pki.resolve("bank-a"));
    byte[] data = "study st-1 result".getBytes(StandardCharsets.UTF_8);

    TlsMaterial.verify(bankA.certificate(), data, bankA.sign(data));
  }

  @Test
  void verify_tamperedSignatureDataOrSigner_fails() throws Exception {
    TlsMaterial bankA = TlsMaterial.loadDir(pki.resolve("bank-a"));
    TlsMaterial bankB = TlsMaterial.loadDir(pki.resolve("bank-b"));
    byte[] data = "study st-1 result".getBytes(StandardCharsets.UTF_8);
    byte[] signature = bankA.sign(data);

    byte[] tampered = signature.clone();
    tampered[tampered.length - 1] ^= 1;
    GeneralSecurityException e =
        assertThrows(
            GeneralSecurityException.class,
            () -> TlsMaterial.verify(bankA.certificate(), data, tampered));
    assertEquals("invalid signature", e.getMessage());

    byte[] otherData = "study st-1 resulT".getBytes(StandardCharsets.UTF_8);
    assertThrows(
        GeneralSecurityException.class,
        () -> TlsMaterial.verify(bankA.certificate(), otherData, signature));
    assertThrows(
        GeneralSecurityException.class,
        () -> TlsMaterial.verify(bankB.certificate(), data, signature));
    assertThrows(
        GeneralSecurityException.class,
        () -> TlsMaterial.verify(bankA.certificate(), data, new byte[] {1, 2, 3}));
  }
}
