package io.cleanroom.coordinator.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.log.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogVerifierTest {
  private static final String STUDY = "st-00ab";
  private static final LogSigningKey KEY = LogSigningKey.generate(new SecureRandom());
  private static final LogSigningKey OTHER = LogSigningKey.generate(new SecureRandom());
  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final List<EntryKind> KINDS =
      List.of(
          EntryKind.PLAN,
          EntryKind.JOIN,
          EntryKind.JOIN,
          EntryKind.STEP_START,
          EntryKind.STEP_END,
          EntryKind.STEP_START,
          EntryKind.STEP_END,
          EntryKind.STEP_START,
          EntryKind.STEP_END,
          EntryKind.RELEASE,
          EntryKind.REPORT,
          EntryKind.DESTRUCTION);

  @TempDir Path dir;
  private Path entries;
  private Path checkpoints;

  /** Advances one second per reading. */
  private static final class TickingClock extends Clock {
    private long millis = T0;

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

  /** Twelve entries with checkpoints 0, 1, 2 of sizes 4, 8, 12. */
  @BeforeEach
  void writeLog() throws Exception {
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, new TickingClock())) {
      for (int i = 0; i < KINDS.size(); i++) {
        log.append(KINDS.get(i), STUDY, "{\"step\":" + i + ",\"note\":\"abcdefgh\"}");
        if (i % 4 == 3) {
          log.checkpoint();
        }
      }
    }
    entries = dir.resolve("entries.bin");
    checkpoints = dir.resolve("checkpoints.bin");
  }

  private String firstProblem() {
    LogVerifier.Result result = LogVerifier.verify(dir, KEY.publicKey());
    assertFalse(result.ok(), result.summary());
    assertTrue(result.summary().contains("result:       FAILED"), result.summary());
    return result.firstProblem().orElseThrow();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void intactLog_isOk_withASummary() throws Exception {
    LogVerifier.Result result = LogVerifier.verify(dir, KEY.publicKey());
    assertTrue(result.ok(), result.summary());
    assertEquals(12, result.entries());
    assertEquals(3, result.checkpoints());
    String summary = result.summary();
    MerkleTree tree = new MerkleTree();
    for (byte[] record : LogFiles.read(entries).records) {
      tree.append(record);
    }
    assertEquals(hex(tree.root()), hex(result.rootHash()));
    for (String expected :
        List.of(
            "entries:      12",
            "studies:      st-00ab 12",
            "kinds:        PLAN 1, JOIN 2, STEP_START 3, STEP_END 3, RELEASE 1, REPORT 1,"
                + " DESTRUCTION 1",
            "checkpoints:  3, last of size 12 at 2025-03-01T10:00:",
            "root:         " + hex(tree.root()) + " (size 12)",
            "key:          " + KEY.publicKey().fingerprint() + " (pinned)",
            "first entry:  2025-03-01T10:00:00Z",
            "last entry:   2025-03-01T10:00:",
            "result:       OK")) {
      assertTrue(summary.contains(expected), "missing \"" + expected + "\" in\n" + summary);
    }
    assertTrue(LogVerifier.verify(dir).ok());
  }

  @Test
  void flippedByte_namesTheEntry() throws Exception {
    LogFiles files = LogFiles.read(entries);
    byte[] record = files.records.get(7);
    int note = new String(record, StandardCharsets.ISO_8859_1).indexOf("abcdefgh");
    LogFiles.flipByte(entries, files.offsetOf(7) + 4 + note, 0x01); // "abcdefgh" -> "`bcdefgh"
    LogVerifier.Result result = LogVerifier.verify(dir, KEY.publicKey());
    assertEquals(
        List.of(
            "entry 7: contents altered: its hash does not match the previous_hash recorded in"
                + " entry 8",
            "checkpoint 1 (size 8): root "
                + hex(Checkpoint.decode(LogFiles.read(checkpoints).records.get(1)).rootHash())
                + " does not match the Merkle root "
                + hex(rootOfFile(8))
                + " of the first 8 entries (checkpoint 0 matches the first 4: the difference"
                + " lies in entries 4 to 7)"),
        result.problems());
  }

  @Test
  void flippedByte_anywhereInAnEntry_namesThatEntryFirst() throws Exception {
    byte[] intact = Files.readAllBytes(entries);
    LogFiles files = LogFiles.read(entries);
    long start = files.offsetOf(7);
    long end = files.offsetOf(8);
    for (long offset = start; offset < end; offset++) {
      for (int mask : new int[] {0x01, 0x40}) {
        Files.write(entries, intact);
        LogFiles.flipByte(entries, offset, mask);
        String problem = firstProblem();
        assertTrue(
            problem.startsWith("entry 7:") || problem.startsWith("entry 7 ("),
            "byte " + (offset - start) + " mask " + mask + ": " + problem);
      }
    }
  }

  @Test
  void removedEntry_namesItsPosition() throws Exception {
    LogFiles files = LogFiles.read(entries);
    files.records.remove(5);
    files.write(entries);
    assertEquals("entry 5: index 6, expected 5 (entry removed)", firstProblem());
  }

  @Test
  void reorderedEntries_areNamed() throws Exception {
    LogFiles files = LogFiles.read(entries);
    Collections.swap(files.records, 5, 6);
    files.write(entries);
    assertEquals(
        "entry 5: index 6, expected 5 (entries reordered: entry 5 is at position 6)",
        firstProblem());
  }

  @Test
  void insertedEntry_isNamed() throws Exception {
    LogFiles files = LogFiles.read(entries);
    LogEntry before = LogEntry.decode(files.records.get(4));
    LogEntry forged =
        new LogEntry(
            5, before.timestampMillis() + 1, STUDY, EntryKind.STATE, "{\"x\":1}", before.hash());
    files.records.add(5, forged.encode());
    files.write(entries);
    assertEquals(
        "entry 5: inserted: entry 6 also has index 5 and is the one chained to entry 4",
        firstProblem());
  }

  @Test
  void forgedCheckpoint_badSignature() throws Exception {
    LogFiles files = LogFiles.read(checkpoints);
    byte[] record = files.records.get(2);
    record[record.length - 10] ^= 0x20;
    files.write(checkpoints);
    assertEquals("checkpoint 2 (size 12): signature invalid", firstProblem());
  }

  @Test
  void forgedCheckpoint_signedWithAnotherKey() throws Exception {
    LogFiles files = LogFiles.read(checkpoints);
    Checkpoint genuine = Checkpoint.decode(files.records.get(2));
    files.records.set(
        2,
        Checkpoint.sign(STUDY, 12, genuine.rootHash(), genuine.timestampMillis(), OTHER).encode());
    files.write(checkpoints);
    assertEquals(
        "checkpoint 2 (size 12): signed by key "
            + OTHER.publicKey().fingerprint()
            + ", not the log key "
            + KEY.publicKey().fingerprint(),
        firstProblem());
  }

  @Test
  void forgedCheckpoint_rootDoesNotMatchTheEntries() throws Exception {
    LogFiles files = LogFiles.read(checkpoints);
    byte[] wrongRoot = MerkleTree.leafHash("something else".getBytes(StandardCharsets.UTF_8));
    files.records.set(2, Checkpoint.sign(STUDY, 12, wrongRoot, T0 + 99_000, KEY).encode());
    files.write(checkpoints);
    assertEquals(
        "checkpoint 2 (size 12): root "
            + hex(wrongRoot)
            + " does not match the Merkle root "
            + hex(rootOfFile(12))
            + " of the first 12 entries (checkpoint 1 matches the first 8: the difference lies"
            + " in entries 8 to 11)",
        firstProblem());
  }

  @Test
  void rewrittenLog_reSignedWithAnotherKey_failsAgainstThePinnedKey() throws Exception {
    LogFiles files = LogFiles.read(checkpoints);
    for (int k = 0; k < files.records.size(); k++) {
      Checkpoint genuine = Checkpoint.decode(files.records.get(k));
      files.records.set(
          k,
          Checkpoint.sign(
                  STUDY, genuine.treeSize(), genuine.rootHash(), genuine.timestampMillis(), OTHER)
              .encode());
    }
    files.write(checkpoints);
    LogKeys.writePublicKey(dir.resolve("log-public-key.pem"), OTHER.publicKey());

    assertTrue(LogVerifier.verify(dir).ok(), "consistent in itself");
    LogVerifier.Result pinned = LogVerifier.verify(dir, KEY.publicKey());
    assertEquals(
        List.of(
            "log-public-key.pem: key "
                + OTHER.publicKey().fingerprint()
                + " is not the pinned key "
                + KEY.publicKey().fingerprint(),
            "checkpoint 0 (size 4): signed by key "
                + OTHER.publicKey().fingerprint()
                + ", not the log key "
                + KEY.publicKey().fingerprint()),
        pinned.problems());
  }

  @Test
  void entriesRemovedFromTheEnd_areCaughtByTheCheckpoint() throws Exception {
    LogFiles files = LogFiles.read(entries);
    files.records.remove(11);
    files.records.remove(10);
    files.write(entries);
    assertEquals(
        "checkpoint 2 (size 12): covers 12 entries but entries.bin has only 10 readable"
            + " (entries removed from the end)",
        firstProblem());
  }

  @Test
  void changedLastEntry_isCaughtByTheCheckpoint() throws Exception {
    LogFiles files = LogFiles.read(entries);
    int note = new String(files.records.get(11), StandardCharsets.ISO_8859_1).indexOf("abcdefgh");
    LogFiles.flipByte(entries, files.offsetOf(11) + 4 + note + 3, 0x01);
    assertTrue(
        firstProblem()
            .endsWith(
                "(checkpoint 1 matches the first 8: the difference lies in" + " entries 8 to 11)"));
  }

  @Test
  void entriesAfterTheLastCheckpoint_areReportedAsOnlyChained() throws Exception {
    try (ProtocolLog log = ProtocolLog.open(dir, KEY)) {
      log.append(EntryKind.ABORT, STUDY, "{\"reason\":\"timeout\"}");
    }
    LogVerifier.Result result = LogVerifier.verify(dir, KEY.publicKey());
    assertTrue(result.ok(), result.summary());
    assertTrue(
        result
            .warnings()
            .contains("1 entries after the last checkpoint are protected by the hash chain only"),
        result.summary());
  }

  @Test
  void missingFiles_areProblems() throws Exception {
    Files.delete(dir.resolve("log-public-key.pem"));
    assertEquals(
        "log-public-key.pem: missing: no key to check the checkpoints with",
        LogVerifier.verify(dir).firstProblem().orElseThrow());
    assertTrue(LogVerifier.verify(dir, KEY.publicKey()).ok());
    Files.delete(entries);
    assertEquals("entries.bin: missing", firstProblem());
  }

  private byte[] rootOfFile(int size) throws Exception {
    MerkleTree tree = new MerkleTree();
    for (byte[] record : LogFiles.read(entries).records.subList(0, size)) {
      tree.append(record);
    }
    return tree.root();
  }
}
