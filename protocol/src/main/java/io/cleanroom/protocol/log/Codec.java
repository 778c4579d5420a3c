package io.cleanroom.protocol.log;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The canonical binary encoding shared by {@link LogEntry} and {@link Checkpoint}: big-endian
 * fixed-width integers, raw fixed-length byte strings, and UTF-8 strings prefixed by their byte
 * length as an unsigned 32-bit big-endian integer. Strings must be well-formed Unicode so that
 * decoding and re-encoding give back the same bytes.
 */
final class Codec {
  private Codec() {}

  static byte[] sha256(byte[]... parts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /**
   * UTF-8 bytes of {@code value}; refuses unpaired surrogates, which would not survive a round
   * trip.
   */
  static byte[] utf8(String value, String field) {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(value));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + " is not well-formed Unicode", e);
    }
  }

  /** Thrown by {@link Reader} when the data ends before the encoding does. */
  static final class Truncated extends LogException {
    private static final long serialVersionUID = 1L;

    Truncated(String message) {
      super(message);
    }
  }

  /** Appends canonical fields to a growing byte array. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    Writer u8(int value) {
      out.write(value);
      return this;
    }

    Writer i64(long value) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (value >>> shift));
      }
      return this;
    }

    Writer u32(long value) {
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (value >>> shift));
      }
      return this;
    }

    Writer raw(byte[] bytes) {
      out.write(bytes, 0, bytes.length);
      return this;
    }

    Writer string(byte[] utf8) {
      u32(utf8.length);
      return raw(utf8);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Reads canonical fields, naming the structure, the field and the offset when it cannot. */
  static final class Reader {
    private final String what;
    private final byte[] data;
    private int position;

    Reader(String what, byte[] data) {
      this.what = what;
      this.data = data;
    }

    private void need(int count, String field) throws Truncated {
      if (data.length - position < count) {
        throw new Truncated(
            what
                + ": truncated: "
                + field
                + " needs "
                + count
                + " bytes at offset "
                + position
                + ", only "
                + (data.length - position)
                + " left");
      }
    }

    int u8(String field) throws Truncated {
      need(1, field);
      return data[position++] & 0xff;
    }

    long i64(String field) throws Truncated {
      need(8, field);
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (data[position++] & 0xff);
      }
      return value;
    }

    long u32(String field) throws Truncated {
      need(4, field);
      long value = 0;
      for (int i = 0; i < 4; i++) {
        value = (value << 8) | (data[position++] & 0xff);
      }
      return value;
    }

    byte[] raw(int length, String field) throws Truncated {
      need(length, field);
      byte[] bytes = new byte[length];
      System.arraycopy(data, position, bytes, 0, length);
      position += length;
      return bytes;
    }

    String string(String field, int maxBytes) throws LogException {
      int start = position;
      long length = u32(field + " length");
      if (length > maxBytes) {
        throw new LogException(
            what
                + ": "
                + field
                + " length "
                + length
                + " at offset "
                + start
                + " exceeds the maximum of "
                + maxBytes
                + " bytes");
      }
      byte[] bytes = raw((int) length, field);
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new LogException(
            what + ": " + field + " at offset " + (start + 4) + " is not valid UTF-8", e);
      }
    }

    void end() throws LogException {
      if (position != data.length) {
        throw new LogException(
            what
                + ": "
                + (data.length - position)
                + " trailing bytes after the last field (offset "
                + position
                + " of "
                + data.length
                + ")");
      }
    }
  }
}
