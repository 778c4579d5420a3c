package io.cleanroom.coordinator.log;

import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the entries of a {@link ProtocolLog} directory, without opening the log for writing and
 * without checking the hash chain or the checkpoints ({@link LogVerifier} does that).
 */
public final class LogEntries {
  private LogEntries() {}

  /**
   * The entries of the log in {@code dir}, in file order. A torn final record (a crash during an
   * append) is left out.
   *
   * @throws LogException naming the file and the record, if a record before the end is unreadable
   */
  public static List<LogEntry> read(Path dir) throws IOException, LogException {
    Path file = dir.resolve(ProtocolLog.ENTRIES_FILE);
    return RecordFile.readAll(
        file, RecordFile.ENTRIES_MAGIC, "entry", LogEntry::isIncomplete, LogEntry::decode);
  }
}
