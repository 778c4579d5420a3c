package io.cleanroom.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolment by certificate signing request: the party's key never leaves its folder. */
class EnrolmentTest {

  @TempDir static Path shared;
  private static Path ca;

  @TempDir Path bank;
  @TempDir Path returned;

  @BeforeAll
  static void createCa() throws Exception {
    ca = shared.resolve("pki");
    ConsortiumPki.init(ca, List.of("bank-a", "bank-b"), List.of());
  }

  @Test
  void requestThenSign_givesAFolderThatLoadsWithTheRequestersOwnKey() throws Exception {
    ConsortiumPki.request(bank, "bank-d", Role.NODE);
    byte[] keyBefore = Files.readAllBytes(bank.resolve(ConsortiumPki.KEY_FILE));
    assertTrue(
        Files.readString(bank.resolve(ConsortiumPki.CSR_FILE))
            .startsWith("-----BEGIN CERTIFICATE REQUEST-----"));

    PartyIdentity party =
        ConsortiumPki.sign(
            ca,
            bank.resolve(ConsortiumPki.CSR_FILE),
            Role.NODE,
            List.of("bank-d.example"),
            returned);
    assertEquals(new PartyIdentity("bank-d", Role.NODE), party);
    assertFalse(Files.exists(returned.resolve(ConsortiumPki.KEY_FILE)), "the CA never has the key");

    Files.copy(returned.resolve(ConsortiumPki.CERT_FILE), bank.resolve(ConsortiumPki.CERT_FILE));
    Files.copy(
        returned.resolve(ConsortiumPki.CA_CERT_FILE), bank.resolve(ConsortiumPki.CA_CERT_FILE));
    TlsMaterial material = TlsMaterial.loadDir(bank);
    assertEquals(party, material.self());
    assertArrayEquals(keyBefore, Files.readAllBytes(bank.resolve(ConsortiumPki.KEY_FILE)));
    material.certificate().verify(TlsMaterial.loadDir(ca.resolve("bank-a")).ca().getPublicKey());
    assertTrue(
        material.certificate().getSubjectAlternativeNames().stream()
            .anyMatch(n -> "bank-d.example".equals(n.get(1))));
  }

  @Test
  void sign_refusesARequestWhoseSignatureDoesNotVerify() throws Exception {
    ConsortiumPki.request(bank, "bank-e", Role.NODE);
    Path csr = bank.resolve(ConsortiumPki.CSR_FILE);
    String pem = Files.readString(csr, StandardCharsets.US_ASCII);
    String body =
        pem.replace("-----BEGIN CERTIFICATE REQUEST-----", "")
            .replace("-----END CERTIFICATE REQUEST-----", "")
            .replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    der[der.length - 5] ^= 0x01; // inside the signature
    Path forged = bank.resolve("forged.csr");
    Files.writeString(
        forged,
        "-----BEGIN CERTIFICATE REQUEST-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END CERTIFICATE REQUEST-----\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConsortiumPki.sign(ca, forged, Role.NODE, List.of(), returned));
    assertTrue(e.getMessage().contains("forged.csr"), e.getMessage());
    assertFalse(Files.exists(returned.resolve(ConsortiumPki.CERT_FILE)));
  }

  @Test
  void requestAndSign_refuseReservedNamesAndExistingFiles() throws Exception {
    assertThrows(
        IllegalArgumentException.class,
        () -> ConsortiumPki.request(bank, "coordinator", Role.NODE));
    ConsortiumPki.request(bank, "bank-f", Role.NODE);
    assertThrows(
        FileAlreadyExistsException.class, () -> ConsortiumPki.request(bank, "bank-f", Role.NODE));
    ConsortiumPki.sign(ca, bank.resolve(ConsortiumPki.CSR_FILE), Role.NODE, List.of(), returned);
    assertThrows(
        FileAlreadyExistsException.class,
        () ->
            ConsortiumPki.sign(
                ca, bank.resolve(ConsortiumPki.CSR_FILE), Role.NODE, List.of(), returned));
    IllegalArgumentException notACsr =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try {
                ConsortiumPki.sign(
                    ca, ca.resolve("bank-a/tls.crt"), Role.NODE, List.of(), bank.resolve("x"));
              } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage());
              }
            });
    assertTrue(notACsr.getMessage().contains("not a PEM certificate signing request"));
  }
}
