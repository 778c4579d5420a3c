package io.cleanroom.coordinator.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and rewrites the records of a log file, for tests that damage a log on purpose. */
final class LogFiles {
  final byte[] header;
  final List<byte[]> records;

  private LogFiles(byte[] header, List<byte[]> records) {
    this.header = header;
    this.records = records;
  }

  static LogFiles read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    in.position(8);
    int idLength = in.getInt();
    byte[] header = new byte[8 + 4 + idLength];
    in.position(0);
    in.get(header);
    List<byte[]> records = new ArrayList<>();
    while (in.remaining() >= 4) {
      byte[] record = new byte[in.getInt()];
      in.get(record);
      records.add(record);
    }
    if (in.hasRemaining()) {
      throw new IOException(file + ": trailing bytes");
    }
    return new LogFiles(header, records);
  }

  /** Offset in the file of record {@code position}'s length prefix. */
  long offsetOf(int position) {
    long offset = header.length;
    for (int i = 0; i < position; i++) {
      offset += 4 + records.get(i).length;
    }
    return offset;
  }

  void write(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    for (byte[] record : records) {
      out.write(ByteBuffer.allocate(4).putInt(record.length).array());
      out.write(record);
    }
    Files.write(file, out.toByteArray());
  }

  static void flipByte(Path file, long offset, int mask) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= (byte) mask;
    Files.write(file, bytes);
  }

  static void appendBytes(Path file, byte[] bytes) throws IOException {
    byte[] old = Files.readAllBytes(file);
    byte[] all = new byte[old.length + bytes.length];
    System.arraycopy(old, 0, all, 0, old.length);
    System.arraycopy(bytes, 0, all, old.length, bytes.length);
    Files.write(file, all);
  }
}
