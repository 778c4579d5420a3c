package io.cleanroom.node.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.List;
import java.util.Locale;

/**
 * One CSV data file read record by record, with values looked up by column position and the SHA-256
 * of exactly the bytes that were parsed. Problems with the header and records of the wrong width
 * are recorded in {@link Problems}, and such records are skipped; malformed CSV or UTF-8 ends the
 * file with a {@link DataException} because nothing after it can be trusted.
 */
final class DataFileReader extends RowReader {
  private static final int BUFFER_CHARS = 1 << 16;

  private final Problems problems;
  private final CsvReader csv;
  private int width;
  private List<String> record;
  private boolean skipped;

  private DataFileReader(Path file, String label, Problems problems) throws IOException {
    super(label, DataException.LINE, problems);
    this.problems = problems;
    InputStream bytes = new DigestInputStream(Files.newInputStream(file), digest());
    // Strict decoding: replacing bad bytes with U+FFFD would silently change ids.
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.csv =
        new CsvReader(
            new BufferedReader(new InputStreamReader(bytes, decoder), BUFFER_CHARS), label);
  }

  /**
   * Opens a file and reads its header.
   *
   * @param label how to name the file in messages, e.g. {@code bank-a/alerts.csv}
   * @param required columns the header must contain
   * @param optional columns the header may contain; absent ones read as empty
   * @return the reader positioned before the first record, or {@code null} if the header is
   *     unusable, in which case the reasons are recorded in {@code problems}
   */
  static DataFileReader open(
      Path file, String label, List<String> required, List<String> optional, Problems problems)
      throws IOException {
    DataFileReader reader = new DataFileReader(file, label, problems);
    boolean usable = false;
    try {
      usable = reader.readHeader(required, optional);
    } catch (DataException e) {
      problems.add(e);
    } finally {
      if (!usable) {
        reader.close();
      }
    }
    return usable ? reader : null;
  }

  /**
   * Advances to the next record of the header's width, recording and skipping others.
   *
   * @return {@code false} at end of file
   * @throws DataException if the CSV quoting or the UTF-8 encoding is malformed
   */
  @Override
  boolean next() throws IOException, DataException {
    while (true) {
      List<String> fields = read();
      if (fields == null) {
        finish();
        record = null;
        return false;
      }
      if (fields.size() == width) {
        record = fields;
        return true;
      }
      skipped = true;
      problems.add(
          label(),
          csv.line(),
          null,
          "record has " + fields.size() + " fields but the header has " + width);
    }
  }

  @Override
  boolean skippedRecords() {
    return skipped;
  }

  @Override
  String raw(int column) {
    if (record == null) {
      throw new IllegalStateException("no current record");
    }
    return record.get(column);
  }

  @Override
  String nameOf(BankFile table) {
    return table.fileName();
  }

  /** The 1-based line on which the current record starts. */
  @Override
  long line() {
    return csv.line();
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }

  private boolean readHeader(List<String> required, List<String> optional)
      throws IOException, DataException {
    declare(required, optional);
    List<String> header = read();
    if (header == null) {
      problems.add(label(), 1, null, "file is empty, expected a header row");
      return false;
    }
    width = header.size();
    boolean usable = true;
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (declared(name) && !place(name, i)) {
        problems.add(label(), csv.line(), name, "column appears more than once");
        usable = false;
      }
    }
    for (String column : required) {
      if (!placed(column)) {
        problems.add(label(), csv.line(), column, "required column is missing");
        usable = false;
      }
    }
    return usable;
  }

  private List<String> read() throws IOException, DataException {
    try {
      return csv.next();
    } catch (CharacterCodingException e) {
      // The decoder reads ahead of the line reader, so the bad bytes are somewhere at or after
      // the next unread line.
      throw new DataException(
          label(), csv.linesRead() + 1, null, "not valid UTF-8 (at or after this line)");
    }
  }
}
