package io.cleanroom.coordinator.log;

import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.LogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the signed checkpoints of a {@link ProtocolLog} directory, without opening the log for
 * writing and without checking them ({@link LogVerifier} does that).
 */
public final class LogCheckpoints {
  private LogCheckpoints() {}

  /**
   * The checkpoints of the log in {@code dir}, in file order; empty if it has no checkpoint file
   * yet. A torn final record (a crash during an append) is left out.
   *
   * @throws LogException naming the file and the record, if a record before the end is unreadable
   */
  public static List<Checkpoint> read(Path dir) throws IOException, LogException {
    Path file = dir.resolve(ProtocolLog.CHECKPOINTS_FILE);
    if (!Files.exists(file)) {
      return new ArrayList<>();
    }
    return RecordFile.readAll(
        file,
        RecordFile.CHECKPOINTS_MAGIC,
        "checkpoint",
        Checkpoint::isIncomplete,
        Checkpoint::decode);
  }
}
