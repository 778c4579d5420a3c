package io.cleanroom.protocol.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signed tree head: the coordinator's Ed25519 signature over the size and Merkle root of a
 * study's protocol log at one moment, in the spirit of the RFC 9162 §4.10 signed tree head.
 *
 * <p>The signed bytes are a C2SP {@code tlog-checkpoint} note body, with the timestamp as an
 * extension line:
 *
 * <pre>
 * cleanroom.io/protocol-log/&lt;study id&gt;
 * &lt;tree size, decimal&gt;
 * &lt;root hash, standard base64&gt;
 * timestamp &lt;epoch milliseconds, decimal&gt;
 * </pre>
 *
 * (each line ends with a newline). The stored form ({@link #encode()}):
 *
 * <pre>
 * u8       version        1
 * string   study_id       u32 big-endian byte length, then UTF-8
 * i64      tree_size      big-endian, &ge; 0
 * byte[32] root_hash
 * i64      timestamp      epoch milliseconds, big-endian, &ge; 0
 * byte[16] key_id         first 16 bytes of SHA-256 over the raw public key (not signed)
 * byte[64] signature      Ed25519 over the note body above
 * </pre>
 *
 * The key id only says which key claims to have signed; it lets a verifier tell "signed by another
 * key" from "signature invalid".
 */
public final class Checkpoint {
  /** Version byte of the stored encoding. */
  public static final int VERSION = 1;

  /** Prefix of the origin line; the study id follows. */
  public static final String ORIGIN_PREFIX = "cleanroom.io/protocol-log/";

  /** Length of the key id: the first bytes of SHA-256 over the raw public key. */
  public static final int KEY_ID_SIZE = 16;

  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_SIZE = 64;

  private final String studyId;
  private final long treeSize;
  private final byte[] rootHash;
  private final long timestampMillis;
  private final byte[] keyId;
  private final byte[] signature;

  private Checkpoint(
      String studyId,
      long treeSize,
      byte[] rootHash,
      long timestampMillis,
      byte[] keyId,
      byte[] signature) {
    this.studyId = studyId;
    this.treeSize = treeSize;
    this.rootHash = rootHash.clone();
    this.timestampMillis = timestampMillis;
    this.keyId = keyId.clone();
    this.signature = signature.clone();
  }

  /**
   * Signs the tree head ({@code treeSize}, {@code rootHash}) of study {@code studyId}'s log.
   *
   * @throws IllegalArgumentException naming the unusable argument
   */
  public static Checkpoint sign(
      String studyId, long treeSize, byte[] rootHash, long timestampMillis, LogSigningKey key) {
    byte[] body = signedBody(studyId, treeSize, rootHash, timestampMillis);
    return new Checkpoint(
        studyId, treeSize, rootHash, timestampMillis, key.publicKey().keyId(), key.sign(body));
  }

  /**
   * The note body that is signed (see the class description).
   *
   * @throws IllegalArgumentException naming the unusable argument
   */
  public static byte[] signedBody(
      String studyId, long treeSize, byte[] rootHash, long timestampMillis) {
    LogEntry.studyIdBytes(studyId);
    if (treeSize < 0) {
      throw new IllegalArgumentException("tree size must be >= 0, got " + treeSize);
    }
    if (rootHash == null || rootHash.length != MerkleTree.HASH_SIZE) {
      throw new IllegalArgumentException("root hash must be " + MerkleTree.HASH_SIZE + " bytes");
    }
    if (timestampMillis < 0) {
      throw new IllegalArgumentException(
          "checkpoint timestamp must be >= 0, got " + timestampMillis);
    }
    String text =
        ORIGIN_PREFIX
            + studyId
            + "\n"
            + treeSize
            + "\n"
            + Base64.getEncoder().encodeToString(rootHash)
            + "\n"
            + "timestamp "
            + timestampMillis
            + "\n";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The note body this checkpoint's signature covers. */
  public byte[] signedBody() {
    return signedBody(studyId, treeSize, rootHash, timestampMillis);
  }

  /** Whether the signature is {@code key}'s over {@link #signedBody()}. */
  public boolean signatureValid(LogPublicKey key) {
    return key.verify(signedBody(), signature);
  }

  /**
   * Checks the signature against {@code key}.
   *
   * @throws LogException "signed by key X, not Y" when the key id names another key, "signature
   *     invalid" otherwise
   */
  public void checkSignature(LogPublicKey key) throws LogException {
    if (!Arrays.equals(keyId, key.keyId())) {
      throw new LogException(
          "checkpoint of size "
              + treeSize
              + ": signed by key "
              + MerkleTree.hex(keyId)
              + ", not the log key "
              + key.fingerprint());
    }
    if (!signatureValid(key)) {
      throw new LogException("checkpoint of size " + treeSize + ": signature invalid");
    }
  }

  /** The stored encoding (see the class description). */
  public byte[] encode() {
    return new Codec.Writer()
        .u8(VERSION)
        .string(LogEntry.studyIdBytes(studyId))
        .i64(treeSize)
        .raw(rootHash)
        .i64(timestampMillis)
        .raw(keyId)
        .raw(signature)
        .toByteArray();
  }

  /** Parses a stored encoding; refuses short data, trailing data and invalid fields. */
  public static Checkpoint decode(byte[] bytes) throws LogException {
    Codec.Reader in = new Codec.Reader("checkpoint", bytes);
    int version = in.u8("version");
    if (version != VERSION) {
      throw new LogException(
          "checkpoint: unsupported encoding version " + version + ", expected " + VERSION);
    }
    String studyId = in.string("study id", LogEntry.MAX_STUDY_ID_BYTES);
    long treeSize = in.i64("tree size");
    byte[] rootHash = in.raw(MerkleTree.HASH_SIZE, "root hash");
    long timestamp = in.i64("timestamp");
    byte[] keyId = in.raw(KEY_ID_SIZE, "key id");
    byte[] signature = in.raw(SIGNATURE_SIZE, "signature");
    in.end();
    try {
      signedBody(studyId, treeSize, rootHash, timestamp);
    } catch (IllegalArgumentException e) {
      throw new LogException("checkpoint: " + e.getMessage(), e);
    }
    return new Checkpoint(studyId, treeSize, rootHash, timestamp, keyId, signature);
  }

  /**
   * Whether {@code bytes} end before a stored encoding would: the shape of a record torn by a crash
   * in the middle of a write.
   */
  public static boolean isIncomplete(byte[] bytes) {
    try {
      decode(bytes);
      return false;
    } catch (Codec.Truncated e) {
      return true;
    } catch (LogException e) {
      return false;
    }
  }

  /** The origin line: {@value #ORIGIN_PREFIX} followed by the study id. */
  public String origin() {
    return ORIGIN_PREFIX + studyId;
  }

  /** The study whose log this checkpoint covers. */
  public String studyId() {
    return studyId;
  }

  /** The number of entries covered. */
  public long treeSize() {
    return treeSize;
  }

  /** The Merkle root (RFC 9162 §2.1.1) of the first {@link #treeSize()} entries. */
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** When the checkpoint was signed, epoch milliseconds. */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** Hex of the key id: the {@link LogPublicKey#fingerprint()} of the key that claims to sign. */
  public String keyFingerprint() {
    return MerkleTree.hex(keyId);
  }

  /** The Ed25519 signature. */
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint && Arrays.equals(encode(), ((Checkpoint) other).encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + origin()
        + " size="
        + treeSize
        + " root="
        + MerkleTree.hex(rootHash)
        + " at "
        + Instant.ofEpochMilli(timestampMillis)
        + " key="
        + keyFingerprint()
        + "]";
  }
}
