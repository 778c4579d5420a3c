package io.cleanroom.coordinator.log;

import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The framing shared by {@code entries.bin} and {@code checkpoints.bin}: an 8-byte magic, the study
 * id (u32 big-endian byte length, then UTF-8), then records, each a u32 big-endian length followed
 * by that many bytes of canonical encoding.
 *
 * <p>A crash in the middle of an append can leave a torn final record: a partial length, a length
 * followed by fewer bytes than it announces whose content is itself cut short, or zero bytes where
 * the file was extended but not written. {@link #scan} tells those apart from damage anywhere else.
 */
final class RecordFile {
  static final byte[] ENTRIES_MAGIC = "CRLOGEN1".getBytes(StandardCharsets.US_ASCII);
  static final byte[] CHECKPOINTS_MAGIC = "CRLOGCP1".getBytes(StandardCharsets.US_ASCII);

  /** No canonical record is longer: the largest entry body plus room for its other fields. */
  static final int MAX_RECORD_BYTES = LogEntry.MAX_BODY_BYTES + (1 << 16);

  private RecordFile() {}

  /** Receives each complete record of a file in order. */
  interface Visitor {
    /** Returns false to stop the scan after this record. */
    boolean visit(int position, long offset, byte[] payload) throws LogException;
  }

  /** Decodes one record's canonical bytes. */
  interface Decoder<T> {
    T decode(byte[] payload) throws LogException;
  }

  /**
   * Every complete record of {@code file}, decoded, in file order. A torn final record (a crash
   * during an append) is left out.
   *
   * @param what how a record is called in messages: "entry" or "checkpoint"
   * @throws LogException naming the file and the record, if a record before the end is unreadable
   */
  static <T> List<T> readAll(
      Path file, byte[] magic, String what, Predicate<byte[]> incomplete, Decoder<T> decoder)
      throws IOException, LogException {
    List<T> records = new ArrayList<>();
    Scan scan =
        scan(
            file,
            magic,
            what,
            incomplete,
            (position, offset, payload) -> {
              try {
                records.add(decoder.decode(payload));
              } catch (LogException e) {
                throw new LogException(
                    file
                        + ": "
                        + what
                        + " "
                        + position
                        + " (byte offset "
                        + offset
                        + "): "
                        + e.getMessage(),
                    e);
              }
              return true;
            });
    if (scan.problem != null) {
      throw new LogException(file + ": " + scan.problem);
    }
    return records;
  }

  /** What {@link #scan} found. */
  static final class Scan {
    /** The study id of the header; null if the header is unusable. */
    String studyId;

    /** Offset just past the last complete record visited (or past the header). */
    long end;

    /** Number of complete records visited. */
    int records;

    /** Description of a torn final record, or null. */
    String tornTail;

    /** Description of damage that is not a torn final record, or null. */
    String problem;
  }

  /** The header bytes of a file for {@code studyId}. */
  static byte[] header(byte[] magic, String studyId) {
    byte[] id = studyId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(magic.length + 4 + id.length)
        .put(magic)
        .putInt(id.length)
        .put(id)
        .array();
  }

  /**
   * Writes {@code content} to {@code file} durably and atomically: to a temporary file in the same
   * directory, forced to disk, then renamed over {@code file}.
   */
  static void writeAtomically(Path file, byte[] content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /**
   * Forces a directory's entries (new or renamed files) to disk where the platform allows opening a
   * directory; elsewhere this is a no-op.
   */
  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported on this platform (e.g. Windows): the rename itself is still atomic.
    }
  }

  /** Appends one record at {@code end} and forces it to disk; returns the new end. */
  static long append(FileChannel channel, long end, byte[] payload) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4 + payload.length);
    buffer.putInt(payload.length).put(payload).flip();
    channel.position(end);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(true);
    return end + 4 + payload.length;
  }

  /**
   * Reads the header and then every record of {@code file}, handing each complete one to {@code
   * visitor}.
   *
   * @param what how a record is called in messages: "entry" or "checkpoint"
   * @param incomplete whether the bytes after a length that runs past the end of the file are a
   *     prefix cut short of a valid record, i.e. a torn write
   */
  static Scan scan(
      Path file, byte[] magic, String what, Predicate<byte[]> incomplete, Visitor visitor)
      throws IOException, LogException {
    String name = file.getFileName().toString();
    Scan scan = new Scan();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        InputStream raw = Channels.newInputStream(channel);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      long size = channel.size();
      if (size < magic.length + 4) {
        scan.problem = name + ": " + size + " bytes, too short for a protocol log header";
        return scan;
      }
      byte[] actualMagic = new byte[magic.length];
      in.readFully(actualMagic);
      if (!Arrays.equals(actualMagic, magic)) {
        scan.problem =
            name
                + ": not a protocol log "
                + what
                + " file (magic "
                + new String(actualMagic, StandardCharsets.ISO_8859_1)
                + ", expected "
                + new String(magic, StandardCharsets.US_ASCII)
                + ")";
        return scan;
      }
      long idLength = in.readInt() & 0xffffffffL;
      if (idLength == 0
          || idLength > LogEntry.MAX_STUDY_ID_BYTES
          || idLength > size - magic.length - 4) {
        scan.problem = name + ": header study id length " + idLength + " is invalid";
        return scan;
      }
      byte[] id = new byte[(int) idLength];
      in.readFully(id);
      String studyId = new String(id, StandardCharsets.UTF_8);
      if (!Arrays.equals(studyId.getBytes(StandardCharsets.UTF_8), id)) {
        scan.problem = name + ": header study id is not valid UTF-8";
        return scan;
      }
      scan.studyId = studyId;
      long offset = magic.length + 4 + idLength;
      scan.end = offset;
      int position = 0;
      while (offset < size) {
        long remaining = size - offset;
        String where = what + " " + position + " (byte offset " + offset + ")";
        if (remaining < 4) {
          byte[] rest = readRest(in, remaining);
          scan.tornTail =
              tornTail(name, offset, "a partial record length of " + rest.length + " bytes");
          return scan;
        }
        long length = in.readInt() & 0xffffffffL;
        if (length == 0 || length > MAX_RECORD_BYTES) {
          if (length == 0 && allZero(in, remaining - 4)) {
            scan.tornTail =
                name
                    + ": "
                    + remaining
                    + " zero bytes at the end from byte offset "
                    + offset
                    + ": a write was interrupted";
          } else {
            scan.problem =
                where + ": record length " + length + " is not in [1, " + MAX_RECORD_BYTES + "]";
          }
          return scan;
        }
        if (length > remaining - 4) {
          byte[] rest = readRest(in, remaining - 4);
          if (incomplete.test(rest) || allZero(rest)) {
            scan.tornTail =
                tornTail(
                    name,
                    offset,
                    "record length " + length + " but only " + rest.length + " bytes follow");
          } else {
            scan.problem =
                where
                    + ": record length "
                    + length
                    + " runs past the end of the file ("
                    + (remaining - 4)
                    + " bytes left) but the data there is not a record cut short:"
                    + " the length was altered";
          }
          return scan;
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        boolean more = visitor.visit(position, offset, payload);
        offset += 4 + length;
        position++;
        scan.end = offset;
        scan.records = position;
        if (!more) {
          return scan;
        }
      }
      return scan;
    } catch (EOFException e) {
      throw new IOException(name + ": changed while being read", e);
    }
  }

  private static String tornTail(String name, long offset, String detail) {
    return name
        + ": torn final record at byte offset "
        + offset
        + " ("
        + detail
        + "): a write was interrupted";
  }

  private static byte[] readRest(DataInputStream in, long count) throws IOException {
    byte[] rest = new byte[(int) count];
    in.readFully(rest);
    return rest;
  }

  /** Whether the next {@code count} bytes of {@code in} are all zero; reads them in chunks. */
  private static boolean allZero(DataInputStream in, long count) throws IOException {
    byte[] chunk = new byte[8192];
    for (long left = count; left > 0; ) {
      int n = (int) Math.min(chunk.length, left);
      in.readFully(chunk, 0, n);
      if (!allZero(Arrays.copyOf(chunk, n))) {
        return false;
      }
      left -= n;
    }
    return true;
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
