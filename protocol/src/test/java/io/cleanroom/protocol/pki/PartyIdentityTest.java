package io.cleanroom.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartyIdentityTest {

  @TempDir Path dir;

  @Test
  void validNames_accepted() {
    for (String name : List.of("bank-a", "812", "coordinator", "operator", "a", "b".repeat(63))) {
      assertEquals(name, new PartyIdentity(name, Role.NODE).name());
    }
  }

  @Test
  void invalidNames_refused() {
    for (String name : List.of("", "Bank-a", "-a", "bank_a", "bank.a", "bank a", "b".repeat(64))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new PartyIdentity(name, Role.NODE));
      assertTrue(e.getMessage().startsWith("invalid party name: \"" + name + "\""));
    }
    assertThrows(NullPointerException.class, () -> new PartyIdentity(null, Role.NODE));
    assertThrows(NullPointerException.class, () -> new PartyIdentity("bank-a", null));
  }

  @Test
  void roles_roundTripThroughLabels() {
    for (Role role : Role.values()) {
      assertEquals(role, Role.fromLabel(role.label()));
    }
    assertEquals("coordinator", Role.COORDINATOR.label());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Role.fromLabel("NODE"));
    assertEquals("unknown role: \"NODE\"", e.getMessage());
  }

  @Test
  void of_readsCnAndOu() throws Exception {
    ConsortiumPki.init(dir, List.of("bank-a", "812"), List.of());

    assertEquals(
        new PartyIdentity("812", Role.NODE),
        PartyIdentity.of(PemFiles.readCertificate(dir.resolve("812/tls.crt"))));
    assertEquals(
        new PartyIdentity("operator", Role.OPERATOR),
        PartyIdentity.of(PemFiles.readCertificate(dir.resolve("operator/tls.crt"))));
  }

  @Test
  void of_certificateWithoutOu_refused() throws Exception {
    ConsortiumPki.init(dir, List.of("bank-a", "bank-b"), List.of());
    X509Certificate ca = PemFiles.readCertificate(dir.resolve("ca/ca.crt"));

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartyIdentity.of(ca));
    assertTrue(e.getMessage().startsWith("certificate subject must have exactly one OU"));
  }

  @Test
  void hostNames_matchExactlyIncludingAllDigitNames() throws Exception {
    ConsortiumPki.init(dir, List.of("bank-a", "812"), List.of());
    X509Certificate bankA = PemFiles.readCertificate(dir.resolve("bank-a/tls.crt"));
    X509Certificate numeric = PemFiles.readCertificate(dir.resolve("812/tls.crt"));

    for (String host : List.of("bank-a", "BANK-A", "localhost", "127.0.0.1", "::1", "[::1]")) {
      assertTrue(SubjectAltNames.matches(bankA, host), host);
    }
    for (String host : List.of("bank-b", "bank", "10.0.0.1", "812", "*")) {
      assertFalse(SubjectAltNames.matches(bankA, host), host);
    }
    assertTrue(SubjectAltNames.matches(numeric, "812"));
    assertFalse(SubjectAltNames.matches(numeric, "0.0.3.44"));
  }
}
