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
    List<Checkpoint> checkpoints = new ArrayList<>();
    if (!Files.exists(file)) {
      return checkpoints;
    }
    RecordFile.Scan scan =
        RecordFile.scan(
            file,
            RecordFile.CHECKPOINTS_MAGIC,
            "checkpoint",
            Checkpoint::isIncomplete,
            (position, offset, payload) -> {
              try {
                checkpoints.add(Checkpoint.decode(payload));
              } catch (LogException e) {
                throw new LogException(
                    file
                        + ": checkpoint "
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
    return checkpoints;
  }
}
