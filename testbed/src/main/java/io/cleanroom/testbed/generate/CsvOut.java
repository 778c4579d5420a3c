package io.cleanroom.testbed.generate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One generated CSV file. Every generated value is ASCII drawn from fixed alphabets without commas,
 * quotes or line breaks, so rows are assembled as bytes in a {@link CsvLine} and copied here as
 * they are: no field needs RFC 4180 quoting, UTF-8 needs no encoding step, and a cross-bank
 * transfer formatted once is written to both banks' files. Records end in LF.
 */
final class CsvOut implements Closeable {
  private static final int BUFFER_BYTES = 1 << 17;

  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private int used;

  private CsvOut(OutputStream out) {
    this.out = out;
  }

  /** Creates (or replaces) a file and writes its header row. */
  static CsvOut open(Path file, List<String> columns) throws IOException {
    CsvOut csv = new CsvOut(Files.newOutputStream(file));
    CsvLine header = new CsvLine();
    header.text(String.join(",", columns)).end();
    csv.write(header);
    return csv;
  }

  /** Appends a finished row. */
  void write(CsvLine line) throws IOException {
    int n = line.length();
    if (used + n > buffer.length) {
      out.write(buffer, 0, used);
      used = 0;
    }
    line.copyTo(buffer, used);
    used += n;
  }

  @Override
  public void close() throws IOException {
    try (out) {
      out.write(buffer, 0, used);
      used = 0;
    }
  }
}
