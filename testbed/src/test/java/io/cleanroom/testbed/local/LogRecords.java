package io.cleanroom.testbed.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a protocol log file ({@code entries.bin} or {@code checkpoints.bin}: an 8-byte
 * magic, the length-prefixed study id, then length-prefixed records), for tests that damage a log
 * the way an attacker with write access to it could.
 */
final class LogRecords {
  final byte[] header;
  final List<byte[]> records;

  private LogRecords(byte[] header, List<byte[]> records) {
    this.header = header;
    this.records = records;
  }

  static LogRecords read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    byte[] header = new byte[8 + 4 + in.getInt(8)];
    in.get(header);
    List<byte[]> records = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] record = new byte[in.getInt()];
      in.get(record);
      records.add(record);
    }
    return new LogRecords(header, records);
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
}
