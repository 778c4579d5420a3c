package io.cleanroom.protocol.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final LogSigningKey KEY = LogSigningKey.generate(new SecureRandom());
  private static final byte[] ROOT = MerkleTree.leafHash(new byte[] {1, 2, 3});

  @Test
  void signedBody_isACheckpointNote() {
    Checkpoint checkpoint = Checkpoint.sign("st-1", 12, ROOT, 1_700_000_000_123L, KEY);
    String expected =
        "cleanroom.io/protocol-log/st-1\n12\n"
            + Base64.getEncoder().encodeToString(ROOT)
            + "\ntimestamp 1700000000123\n";
    assertEquals(expected, new String(checkpoint.signedBody(), StandardCharsets.UTF_8));
    assertEquals("cleanroom.io/protocol-log/st-1", checkpoint.origin());
    assertTrue(KEY.publicKey().verify(checkpoint.signedBody(), checkpoint.signature()));
  }

  @Test
  void signature_verifiesWithTheKey_only() throws Exception {
    Checkpoint checkpoint = Checkpoint.sign("st-1", 12, ROOT, 5, KEY);
    assertTrue(checkpoint.signatureValid(KEY.publicKey()));
    checkpoint.checkSignature(KEY.publicKey());
    assertEquals(KEY.publicKey().fingerprint(), checkpoint.keyFingerprint());

    LogPublicKey other = LogSigningKey.generate(new SecureRandom()).publicKey();
    assertFalse(checkpoint.signatureValid(other));
    LogException e = assertThrows(LogException.class, () -> checkpoint.checkSignature(other));
    assertEquals(
        "checkpoint of size 12: signed by key "
            + KEY.publicKey().fingerprint()
            + ", not the log key "
            + other.fingerprint(),
        e.getMessage());
  }

  @Test
  void encoding_roundTrips_andAnyChangedByteBreaksTheSignatureOrTheParse() throws Exception {
    Checkpoint checkpoint = Checkpoint.sign("st-1", 12, ROOT, 5, KEY);
    byte[] encoded = checkpoint.encode();
    Checkpoint decoded = Checkpoint.decode(encoded);
    assertEquals(checkpoint, decoded);
    assertEquals(12, decoded.treeSize());
    assertArrayEquals(ROOT, decoded.rootHash());
    assertEquals(5, decoded.timestampMillis());
    assertEquals("st-1", decoded.studyId());
    assertTrue(decoded.signatureValid(KEY.publicKey()));

    for (int i = 0; i < encoded.length; i++) {
      byte[] changed = encoded.clone();
      changed[i] ^= 0x04;
      try {
        Checkpoint tampered = Checkpoint.decode(changed);
        assertThrows(
            LogException.class, () -> tampered.checkSignature(KEY.publicKey()), "byte " + i);
      } catch (LogException expected) {
        // unparseable is also a refusal
      }
    }
  }

  @Test
  void decode_refusesTruncatedAndTrailingData() {
    byte[] encoded = Checkpoint.sign("st-1", 12, ROOT, 5, KEY).encode();
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      LogException e = assertThrows(LogException.class, () -> Checkpoint.decode(prefix));
      assertTrue(e.getMessage().startsWith("checkpoint: truncated: "), e.getMessage());
      assertTrue(Checkpoint.isIncomplete(prefix));
    }
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
    assertTrue(
        assertThrows(LogException.class, () -> Checkpoint.decode(longer))
            .getMessage()
            .startsWith("checkpoint: 1 trailing bytes"));
    assertFalse(Checkpoint.isIncomplete(longer));
  }

  @Test
  void keys_roundTripThroughPemAndBase64() throws Exception {
    LogSigningKey key = LogSigningKey.generate(new SecureRandom());
    String privatePem = key.toPem();
    assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----"), privatePem);
    LogSigningKey fromPem = LogSigningKey.fromPem(privatePem);
    assertEquals(key.publicKey(), fromPem.publicKey());
    assertEquals(key.publicKey(), LogSigningKey.fromBase64(key.toBase64()).publicKey());

    String publicPem = key.publicKey().toPem();
    assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----"), publicPem);
    assertEquals(key.publicKey(), LogPublicKey.fromPem(publicPem));
    assertEquals(key.publicKey(), LogPublicKey.fromBase64(key.publicKey().toBase64()));

    byte[] message = "m".getBytes(StandardCharsets.UTF_8);
    assertTrue(key.publicKey().verify(message, fromPem.sign(message)));
    assertFalse(key.toString().contains(key.toBase64()));

    assertEquals(
        "PEM block is PRIVATE KEY, expected PUBLIC KEY",
        assertThrows(LogException.class, () -> LogPublicKey.fromPem(privatePem)).getMessage());
    assertThrows(LogException.class, () -> LogSigningKey.fromPem(publicPem));
    assertThrows(LogException.class, () -> LogPublicKey.fromBase64("AAAA"));
    assertThrows(LogException.class, () -> LogSigningKey.fromBase64("not base64!"));
  }

  @Test
  void fingerprint_isHexOfTheFirst16BytesOfSha256OfTheRawKey() throws Exception {
    LogPublicKey key = KEY.publicKey();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.raw());
    assertEquals(HEX.formatHex(Arrays.copyOf(digest, 16)), key.fingerprint());
    assertEquals(32, key.fingerprint().length());
  }

  @Test
  void keys_readWhatOpensslWrites_andWriteTheSame() throws Exception {
    // openssl genpkey -algorithm ed25519; openssl pkey -pubout
    String privatePem =
        "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEICl/ZxdZTf0WdR/vP3HAipD4X4WHd2+4PG7Bcjrja3MF\n"
            + "-----END PRIVATE KEY-----\n";
    String publicPem =
        "-----BEGIN PUBLIC KEY-----\n"
            + "MCowBQYDK2VwAyEAkPrWMgsz4hWp+VAg2msaacnZaP35voq9YeglyZoF260=\n"
            + "-----END PUBLIC KEY-----\n";
    LogSigningKey key = LogSigningKey.fromPem(privatePem);
    assertEquals(
        "90fad6320b33e215a9f95020da6b1a69c9d968fdf9be8abd61e825c99a05dbad",
        HEX.formatHex(key.publicKey().raw()));
    assertEquals(key.publicKey(), LogPublicKey.fromPem(publicPem));
    assertEquals(publicPem, key.publicKey().toPem().replace("\r\n", "\n"));
    assertEquals(privatePem, key.toPem().replace("\r\n", "\n"));
  }

  @Test
  void ed25519_rfc8032TestVector1() throws Exception {
    LogSigningKey key =
        LogSigningKey.fromRaw(
            HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        HEX.formatHex(key.publicKey().raw()));
    assertEquals(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        HEX.formatHex(key.sign(new byte[0])));
  }
}
