package io.cleanroom.node.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One data file read record by record, with values looked up by column name and the SHA-256 of
 * exactly the bytes that were parsed.
 */
final class DataFileReader implements Closeable {
  private static final int BUFFER_CHARS = 1 << 16;

  private final String label;
  private final MessageDigest digest;
  private final CsvReader csv;
  private final Map<String, Integer> positions = new HashMap<>();
  private final Set<String> known = new HashSet<>();
  private int width;
  private List<String> record;
  private boolean finished;

  private DataFileReader(Path file, String label) throws IOException {
    this.label = label;
    this.digest = sha256();
    InputStream bytes = new DigestInputStream(Files.newInputStream(file), digest);
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
   */
  static DataFileReader open(Path file, String label, List<String> required, List<String> optional)
      throws IOException, DataException {
    DataFileReader reader = new DataFileReader(file, label);
    try {
      reader.readHeader(required, optional);
      return reader;
    } catch (IOException | DataException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Advances to the next record; {@code false} at end of file. */
  boolean next() throws IOException, DataException {
    List<String> fields = read();
    if (fields == null) {
      finished = true;
      record = null;
      return false;
    }
    if (fields.size() != width) {
      throw error(null, "record has " + fields.size() + " fields but the header has " + width);
    }
    record = fields;
    return true;
  }

  /** The current record's value in a column, trimmed; empty for an absent optional column. */
  String get(String column) {
    if (!known.contains(column)) {
      throw new IllegalArgumentException("column was not declared when opening: " + column);
    }
    if (record == null) {
      throw new IllegalStateException("no current record");
    }
    Integer pos = positions.get(column);
    return pos == null ? "" : record.get(pos).trim();
  }

  /** Like {@link #get} but an empty value is an error. */
  String require(String column) throws DataException {
    String value = get(column);
    if (value.isEmpty()) {
      throw error(column, "value is empty");
    }
    return value;
  }

  /** An error located at the current record and the given column (or none). */
  DataException error(String column, String problem) {
    return new DataException(label, csv.line(), column, problem);
  }

  /** Hex SHA-256 of the whole file; only once every record has been read. */
  String sha256Hex() {
    if (!finished) {
      throw new IllegalStateException(label + " has not been read to the end");
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime must provide SHA-256", e);
    }
  }

  private void readHeader(List<String> required, List<String> optional)
      throws IOException, DataException {
    known.addAll(required);
    known.addAll(optional);
    List<String> header = read();
    if (header == null) {
      throw new DataException(label, 1, null, "file is empty, expected a header row");
    }
    width = header.size();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim().toLowerCase(Locale.ROOT);
      if (known.contains(name) && positions.putIfAbsent(name, i) != null) {
        throw new DataException(label, csv.line(), name, "column appears more than once");
      }
    }
    for (String column : required) {
      if (!positions.containsKey(column)) {
        throw new DataException(label, csv.line(), column, "required column is missing");
      }
    }
  }

  private List<String> read() throws IOException, DataException {
    try {
      return csv.next();
    } catch (CharacterCodingException e) {
      // The decoder reads ahead of the line reader, so the bad bytes are somewhere at or after
      // the next unread line.
      throw new DataException(
          label, csv.linesRead() + 1, null, "not valid UTF-8 (at or after this line)");
    }
  }
}
