package io.cleanroom.protocol.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DestructionReceiptTest {

  private static final String DIGEST = "ab".repeat(32);

  @TempDir static Path dir;
  private static TlsMaterial bankA;
  private static TlsMaterial bankB;

  @BeforeAll
  static void createPki() throws Exception {
    ConsortiumPki.init(dir, List.of("bank-a", "bank-b"), List.of());
    bankA = TlsMaterial.loadDir(dir.resolve("bank-a"));
    bankB = TlsMaterial.loadDir(dir.resolve("bank-b"));
  }

  private static DestructionReceipt.Unsigned unsigned() {
    return new DestructionReceipt.Unsigned("st-0123", 3, 4096, DIGEST, 1_700_000_000_123L);
  }

  @Test
  void sign_takesNodeNameFromCertificate_andVerifies() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);

    assertEquals("bank-a", receipt.node());
    assertEquals(unsigned(), receipt.unsigned());
    receipt.verify(bankA.certificate());
  }

  @Test
  void verify_tamperedField_fails() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);
    DestructionReceipt tampered =
        new DestructionReceipt(
            receipt.studyId(),
            receipt.node(),
            receipt.files() + 1,
            receipt.bytes(),
            receipt.listingSha256(),
            receipt.destroyedAtMillis(),
            receipt.signature());

    SignatureException e =
        assertThrows(SignatureException.class, () -> tampered.verify(bankA.certificate()));
    assertEquals(
        "destruction receipt for study st-0123 from node bank-a: signature does not match its"
            + " contents",
        e.getMessage());
  }

  @Test
  void verify_tamperedSignature_fails() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);
    byte[] signature = receipt.signature();
    signature[signature.length - 1] ^= 1;
    DestructionReceipt tampered =
        new DestructionReceipt(
            receipt.studyId(),
            receipt.node(),
            receipt.files(),
            receipt.bytes(),
            receipt.listingSha256(),
            receipt.destroyedAtMillis(),
            signature);

    assertThrows(SignatureException.class, () -> tampered.verify(bankA.certificate()));
  }

  @Test
  void verify_certificateOfAnotherNode_refused() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);

    CertificateException e =
        assertThrows(CertificateException.class, () -> receipt.verify(bankB.certificate()));
    assertEquals(
        "destruction receipt for study st-0123 claims node bank-a but is checked against the"
            + " certificate of bank-b/node",
        e.getMessage());
  }

  @Test
  void verify_coordinatorCertificate_refused() throws Exception {
    TlsMaterial coordinator = TlsMaterial.loadDir(dir.resolve(ConsortiumPki.COORDINATOR));
    DestructionReceipt receipt = unsigned().sign(coordinator);

    assertThrows(CertificateException.class, () -> receipt.verify(coordinator.certificate()));
  }

  @Test
  void verify_receiptRelabelledAsOtherNode_fails() throws Exception {
    DestructionReceipt byA = unsigned().sign(bankA);
    DestructionReceipt claimedByB =
        new DestructionReceipt(
            byA.studyId(),
            "bank-b",
            byA.files(),
            byA.bytes(),
            byA.listingSha256(),
            byA.destroyedAtMillis(),
            byA.signature());

    assertThrows(SignatureException.class, () -> claimedByB.verify(bankB.certificate()));
  }

  @Test
  void json_roundTrip_keepsEveryFieldAndSignature() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);

    String json = receipt.toJson();
    DestructionReceipt back = DestructionReceipt.fromJson(json);

    assertEquals(receipt, back);
    assertEquals(receipt.hashCode(), back.hashCode());
    assertFalse(json.contains("\n"), json);
    assertTrue(json.contains("\"studyId\":\"st-0123\""), json);
    back.verify(bankA.certificate());
  }

  @Test
  void fromJson_missingField_refused() throws Exception {
    String json = unsigned().sign(bankA).toJson().replace("\"files\":3,", "");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DestructionReceipt.fromJson(json));
    assertTrue(e.getMessage().startsWith("not a valid destruction receipt"), e.getMessage());
    assertTrue(e.getMessage().contains("files"), e.getMessage());
  }

  @Test
  void fromJson_badDigest_refused() throws Exception {
    String json = unsigned().sign(bankA).toJson().replace(DIGEST, "xyz");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DestructionReceipt.fromJson(json));
    assertTrue(e.getMessage().contains("\"xyz\" is not 64 lower-case hex digits"), e.getMessage());
  }

  @Test
  void signedBytes_canonicalLayout() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);

    ByteBuffer expected = ByteBuffer.allocate(200);
    putString(expected, DestructionReceipt.FORMAT);
    putString(expected, "st-0123");
    putString(expected, "bank-a");
    expected.putLong(3).putLong(4096);
    expected.putInt(32);
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) 0xab);
    expected.put(digest);
    expected.putLong(1_700_000_000_123L);

    assertArrayEquals(Arrays.copyOf(expected.array(), expected.position()), receipt.signedBytes());
    assertArrayEquals(receipt.signedBytes(), unsigned().sign(bankA).signedBytes());
  }

  @Test
  void signature_isCopied() throws Exception {
    DestructionReceipt receipt = unsigned().sign(bankA);

    receipt.signature()[0] ^= 1;

    receipt.verify(bankA.certificate());
  }

  @Test
  void unsigned_invalidFields_refused() {
    assertThrows(
        IllegalArgumentException.class, () -> new DestructionReceipt.Unsigned("", 0, 0, DIGEST, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DestructionReceipt.Unsigned("st", -1, 0, DIGEST, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DestructionReceipt.Unsigned("st", 0, 0, DIGEST.toUpperCase(), 0));
    assertTrue(e.getMessage().startsWith("destruction receipt for study st:"), e.getMessage());
  }

  private static void putString(ByteBuffer buffer, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    buffer.putInt(bytes.length).put(bytes);
  }
}
