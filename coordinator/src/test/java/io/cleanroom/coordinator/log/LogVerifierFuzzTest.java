package io.cleanroom.coordinator.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogSigningKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid protocol log with one of its files replaced by arbitrary bytes, through {@link
 * LogVerifier}: the verifier returns a result and never throws; a failed result names a problem; an
 * accepted log still holds every entry and checkpoint the coordinator signed, unchanged.
 *
 * <p>The log is deterministic (a fixed key, a clock ticking one second per reading), so the seed
 * corpora hold the valid files themselves.
 */
class LogVerifierFuzzTest {
  private static final String STUDY = "st-00fz";
  private static final List<EntryKind> KINDS =
      List.of(
          EntryKind.PLAN,
          EntryKind.JOIN,
          EntryKind.JOIN,
          EntryKind.STEP_START,
          EntryKind.STEP_END,
          EntryKind.RELEASE,
          EntryKind.REPORT,
          EntryKind.DESTRUCTION);

  @TempDir Path temp;
  private LogSigningKey key;
  private byte[] entries;
  private byte[] checkpoints;
  private List<byte[]> signed;

  /** Eight entries with checkpoints of sizes 4 and 8. */
  private void writeValidLog(Path dir) throws IOException, LogException {
    key = LogSigningKey.fromRaw(new byte[LogSigningKey.RAW_SIZE]);
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, key, new TickingClock())) {
      for (int i = 0; i < KINDS.size(); i++) {
        log.append(KINDS.get(i), STUDY, "{\"step\":" + i + "}");
        if (i % 4 == 3) {
          log.checkpoint();
        }
      }
    }
    entries = Files.readAllBytes(dir.resolve(ProtocolLog.ENTRIES_FILE));
    checkpoints = Files.readAllBytes(dir.resolve(ProtocolLog.CHECKPOINTS_FILE));
    signed = LogFiles.read(dir.resolve(ProtocolLog.CHECKPOINTS_FILE)).records;
  }

  private Path logWith(String file, byte[] bytes) throws IOException, LogException {
    Path dir = temp.resolve("log");
    if (entries == null) {
      writeValidLog(dir);
    }
    Files.write(dir.resolve(ProtocolLog.ENTRIES_FILE), entries);
    Files.write(dir.resolve(ProtocolLog.CHECKPOINTS_FILE), checkpoints);
    Files.write(dir.resolve(file), bytes);
    return dir;
  }

  @FuzzTest(maxDuration = "60s")
  void entries(byte[] bytes) throws IOException, LogException {
    LogVerifier.Result result = verify(logWith(ProtocolLog.ENTRIES_FILE, bytes));
    if (result.ok()) {
      // Every entry is under a signed checkpoint, so only appending can leave the log valid.
      assertTrue(bytes.length >= entries.length, result.summary());
      assertArrayEquals(entries, Arrays.copyOf(bytes, entries.length), result.summary());
    }
  }

  @FuzzTest(maxDuration = "60s")
  void checkpoints(byte[] bytes) throws IOException, LogException {
    Path dir = logWith(ProtocolLog.CHECKPOINTS_FILE, bytes);
    LogVerifier.Result result = verify(dir);
    if (result.ok()) {
      for (byte[] record : completeRecords(bytes)) {
        assertTrue(
            signed.stream().anyMatch(r -> Arrays.equals(r, record)),
            "a checkpoint the key never signed was accepted\n" + result.summary());
      }
    }
  }

  /** The whole records of a record file, leaving out a torn last one, which a crash can leave. */
  private static List<byte[]> completeRecords(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file);
    in.position(8);
    in.position(in.position() + 4 + in.getInt());
    List<byte[]> records = new ArrayList<>();
    while (in.remaining() >= 4) {
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        break;
      }
      byte[] record = new byte[length];
      in.get(record);
      records.add(record);
    }
    return records;
  }

  private LogVerifier.Result verify(Path dir) throws IOException {
    LogVerifier.Result result = LogVerifier.verify(dir, key.publicKey());
    if (!result.ok()) {
      assertFalse(result.problems().isEmpty(), result.summary());
      assertTrue(result.firstProblem().isPresent(), result.summary());
      assertTrue(result.summary().contains("result:       FAILED"), result.summary());
    }
    return result;
  }

  /** Advances one second per reading, from a fixed instant. */
  private static final class TickingClock extends Clock {
    private long millis = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public synchronized Instant instant() {
      Instant now = Instant.ofEpochMilli(millis);
      millis += 1000;
      return now;
    }
  }
}
