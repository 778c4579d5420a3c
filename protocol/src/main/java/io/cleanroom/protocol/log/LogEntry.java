package io.cleanroom.protocol.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * One record of a study's protocol log.
 *
 * <p>Every entry carries its 0-based index, the time it was appended (epoch milliseconds), the
 * study it belongs to, its {@link EntryKind kind}, a JSON body, and {@code previous_hash}: the
 * SHA-256 of the previous entry's canonical encoding ({@link #hash()}), or 32 zero bytes for entry
 * 0. The entries thus form a hash chain, in addition to the RFC 9162 Merkle tree whose leaves are
 * their canonical encodings ({@link #leafHash()}).
 *
 * <p>The canonical encoding ({@link #encode()}), used both for hashing and for storage:
 *
 * <pre>
 * u8      version          1
 * i64     index            big-endian, &ge; 0
 * i64     timestamp        epoch milliseconds, big-endian, &ge; 0
 * byte[32] previous_hash
 * string  study_id         u32 big-endian byte length, then UTF-8
 * string  kind             the {@link EntryKind} name, same string format
 * string  body             a single JSON value, same string format
 * </pre>
 *
 * <p>The encoding is self-delimiting and has exactly one form per entry: {@link #decode(byte[])}
 * refuses short data, trailing data, invalid UTF-8, unknown kinds and bodies that are not JSON.
 */
public final class LogEntry {
  /** Version byte of the canonical encoding. */
  public static final int VERSION = 1;

  /** Maximum byte length of a study id. */
  public static final int MAX_STUDY_ID_BYTES = 256;

  /** Maximum byte length of a JSON body. */
  public static final int MAX_BODY_BYTES = 16 << 20;

  private static final int MAX_KIND_BYTES = 64;
  private static final JsonFactory JSON = new JsonFactory();

  private final long index;
  private final long timestampMillis;
  private final String studyId;
  private final EntryKind kind;
  private final String body;
  private final byte[] previousHash;
  private final byte[] encoded;

  /**
   * An entry; every argument is checked.
   *
   * @param previousHash {@link #hash()} of entry {@code index - 1}, or {@link #genesisHash()} for
   *     entry 0
   * @throws IllegalArgumentException naming the field that is unusable
   */
  public LogEntry(
      long index,
      long timestampMillis,
      String studyId,
      EntryKind kind,
      String jsonBody,
      byte[] previousHash) {
    if (index < 0) {
      throw new IllegalArgumentException("entry index must be >= 0, got " + index);
    }
    if (timestampMillis < 0) {
      throw new IllegalArgumentException("entry timestamp must be >= 0, got " + timestampMillis);
    }
    if (kind == null) {
      throw new IllegalArgumentException("entry kind is missing");
    }
    if (jsonBody == null) {
      throw new IllegalArgumentException("entry body is missing");
    }
    if (previousHash == null || previousHash.length != MerkleTree.HASH_SIZE) {
      throw new IllegalArgumentException(
          "previous_hash must be "
              + MerkleTree.HASH_SIZE
              + " bytes, got "
              + (previousHash == null ? "none" : previousHash.length));
    }
    byte[] studyIdBytes = studyIdBytes(studyId);
    byte[] bodyBytes = Codec.utf8(jsonBody, "entry body");
    if (bodyBytes.length > MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "entry body is " + bodyBytes.length + " bytes, more than " + MAX_BODY_BYTES);
    }
    checkJson(jsonBody);
    this.index = index;
    this.timestampMillis = timestampMillis;
    this.studyId = studyId;
    this.kind = kind;
    this.body = jsonBody;
    this.previousHash = previousHash.clone();
    this.encoded =
        new Codec.Writer()
            .u8(VERSION)
            .i64(index)
            .i64(timestampMillis)
            .raw(previousHash)
            .string(studyIdBytes)
            .string(Codec.utf8(kind.name(), "entry kind"))
            .string(bodyBytes)
            .toByteArray();
  }

  /** The {@code previous_hash} of entry 0: 32 zero bytes. */
  public static byte[] genesisHash() {
    return new byte[MerkleTree.HASH_SIZE];
  }

  /**
   * The entry that follows this one: index + 1, {@code previous_hash} = {@link #hash()}, same
   * study.
   */
  public LogEntry next(long timestampMillis, EntryKind kind, String jsonBody) {
    return new LogEntry(index + 1, timestampMillis, studyId, kind, jsonBody, hash());
  }

  /** Parses a canonical encoding; refuses anything that is not exactly one. */
  public static LogEntry decode(byte[] bytes) throws LogException {
    Codec.Reader in = new Codec.Reader("log entry", bytes);
    int version = in.u8("version");
    if (version != VERSION) {
      throw new LogException(
          "log entry: unsupported encoding version " + version + ", expected " + VERSION);
    }
    long index = in.i64("index");
    long timestamp = in.i64("timestamp");
    byte[] previousHash = in.raw(MerkleTree.HASH_SIZE, "previous_hash");
    String studyId = in.string("study id", MAX_STUDY_ID_BYTES);
    String kindName = in.string("kind", MAX_KIND_BYTES);
    String body = in.string("body", MAX_BODY_BYTES);
    in.end();
    EntryKind kind;
    try {
      kind = EntryKind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      throw new LogException("log entry " + index + ": unknown kind \"" + kindName + "\"", e);
    }
    try {
      return new LogEntry(index, timestamp, studyId, kind, body, previousHash);
    } catch (IllegalArgumentException e) {
      throw new LogException("log entry " + index + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code bytes} end before a canonical encoding would: the shape of a record torn by a
   * crash in the middle of a write. False for a complete encoding, and for data that is invalid for
   * another reason than its end.
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

  /** The canonical encoding. */
  public byte[] encode() {
    return encoded.clone();
  }

  /** SHA-256 of the canonical encoding: the next entry's {@code previous_hash}. */
  public byte[] hash() {
    return Codec.sha256(encoded);
  }

  /** The RFC 9162 leaf hash {@code SHA-256(0x00 || encoding)} of this entry. */
  public byte[] leafHash() {
    return MerkleTree.leafHash(encoded);
  }

  /** 0-based position in the log. */
  public long index() {
    return index;
  }

  /** When the entry was appended, epoch milliseconds. */
  public long timestampMillis() {
    return timestampMillis;
  }

  /** The study the entry belongs to. */
  public String studyId() {
    return studyId;
  }

  /** What the entry records. */
  public EntryKind kind() {
    return kind;
  }

  /** The JSON body. */
  public String body() {
    return body;
  }

  /** SHA-256 of the previous entry's encoding; 32 zero bytes for entry 0. */
  public byte[] previousHash() {
    return previousHash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogEntry && Arrays.equals(encoded, ((LogEntry) other).encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "LogEntry["
        + index
        + " "
        + kind
        + " study="
        + studyId
        + " at "
        + Instant.ofEpochMilli(timestampMillis)
        + ", "
        + body.length()
        + " chars]";
  }

  /**
   * Checks that {@code studyId} can name a study in the log: 1 to {@link #MAX_STUDY_ID_BYTES} bytes
   * of UTF-8, no control characters.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static void checkStudyId(String studyId) {
    studyIdBytes(studyId);
  }

  /**
   * The UTF-8 bytes of a study id: 1 to {@link #MAX_STUDY_ID_BYTES} bytes, no control characters
   * (it is a line of a checkpoint's signed text).
   */
  static byte[] studyIdBytes(String studyId) {
    if (studyId == null || studyId.isEmpty()) {
      throw new IllegalArgumentException("study id is missing");
    }
    byte[] bytes = Codec.utf8(studyId, "study id");
    if (bytes.length > MAX_STUDY_ID_BYTES) {
      throw new IllegalArgumentException(
          "study id is " + bytes.length + " bytes, more than " + MAX_STUDY_ID_BYTES);
    }
    if (studyId.codePoints().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("study id contains a control character");
    }
    return bytes;
  }

  private static void checkJson(String body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() == null) {
        throw new IllegalArgumentException("entry body is empty, expected a JSON value");
      }
      parser.skipChildren();
      JsonToken extra = parser.nextToken();
      if (extra != null) {
        throw new IllegalArgumentException("entry body has content after its JSON value: " + extra);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "entry body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("entry body is not valid JSON: " + e.getMessage(), e);
    }
  }
}
