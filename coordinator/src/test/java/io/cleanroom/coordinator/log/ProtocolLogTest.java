package io.cleanroom.coordinator.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.CheckpointVerifier;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.log.MerkleTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolLogTest {
  private static final String STUDY = "st-0011";
  private static final LogSigningKey KEY = LogSigningKey.generate(new SecureRandom());
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static String body(int i) {
    return "{\"step\":" + i + "}";
  }

  @Test
  void create_writesTheThreeFiles_andAnEmptyLog() throws Exception {
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      assertEquals(0, log.size());
      assertArrayEquals(MerkleTree.emptyRoot(), log.rootHash());
      assertEquals(STUDY, log.studyId());
    }
    assertTrue(Files.isRegularFile(dir.resolve("entries.bin")));
    assertTrue(Files.isRegularFile(dir.resolve("checkpoints.bin")));
    assertEquals(KEY.publicKey(), LogKeys.readPublicKey(dir.resolve("log-public-key.pem")));
    assertThrows(
        FileAlreadyExistsException.class, () -> ProtocolLog.create(dir, STUDY, KEY, CLOCK));
  }

  @Test
  void append_chainsEntries_andCheckpointsProveConsistency() throws Exception {
    CheckpointVerifier node = new CheckpointVerifier(KEY.publicKey(), STUDY);
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      LogEntry previous = null;
      for (int i = 0; i < 10; i++) {
        LogEntry entry = log.append(EntryKind.STEP_START, STUDY, body(i));
        assertEquals(i, entry.index());
        assertEquals(CLOCK.millis(), entry.timestampMillis());
        assertArrayEquals(
            previous == null ? LogEntry.genesisHash() : previous.hash(), entry.previousHash());
        previous = entry;
        if (i % 3 == 0) {
          node.accept(log.checkpoint());
        }
      }
      CheckpointUpdate update = log.checkpoint();
      assertEquals(10, update.previousSize()); // same size again: an empty proof
      assertTrue(update.consistencyProof().isEmpty());
      node.accept(update);
      assertEquals(10, node.accepted().orElseThrow().treeSize());
      assertEquals(5, log.checkpointCount());
      assertFalse(
          MerkleTree.verifyInclusion(
              4, 10, previous.leafHash(), log.inclusionProof(9, 10), log.rootHash()));
      assertTrue(
          MerkleTree.verifyInclusion(
              9, 10, previous.leafHash(), log.inclusionProof(9, 10), log.rootHash()));
    }
  }

  @Test
  void closeReopenContinue_keepsEverything() throws Exception {
    CheckpointVerifier node = new CheckpointVerifier(KEY.publicKey(), STUDY);
    byte[] root;
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      for (int i = 0; i < 5; i++) {
        log.append(EntryKind.STATE, STUDY, body(i));
      }
      node.accept(log.checkpoint());
      root = log.rootHash();
    }
    try (ProtocolLog log = ProtocolLog.open(dir, KEY, CLOCK)) {
      assertEquals(5, log.size());
      assertArrayEquals(root, log.rootHash());
      assertEquals(5, log.lastCheckpoint().orElseThrow().treeSize());
      assertEquals(4, log.lastEntry().orElseThrow().index());
      LogEntry next = log.append(EntryKind.REPORT, STUDY, body(5));
      assertEquals(5, next.index());
      node.accept(log.checkpoint());
    }
    try (ProtocolLog log = ProtocolLog.openOrCreate(dir, STUDY, KEY)) {
      assertEquals(6, log.size());
      assertEquals(2, log.checkpointCount());
    }
    assertTrue(LogVerifier.verify(dir, KEY.publicKey()).ok());
  }

  @Test
  void tornFinalEntry_isCutOff_andTheLogContinues() throws Exception {
    byte[] next;
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      LogEntry last = null;
      for (int i = 0; i < 5; i++) {
        last = log.append(EntryKind.STATE, STUDY, body(i));
      }
      log.checkpoint();
      next = last.next(CLOCK.millis(), EntryKind.STATE, body(5)).encode();
    }
    Path entries = dir.resolve("entries.bin");
    byte[] intact = Files.readAllBytes(entries);
    byte[] record = ByteBuffer.allocate(4 + next.length).putInt(next.length).put(next).array();
    for (int cut = 1; cut < record.length; cut++) {
      Files.write(entries, intact);
      LogFiles.appendBytes(entries, Arrays.copyOf(record, cut));
      LogVerifier.Result result = LogVerifier.verify(dir);
      assertTrue(result.ok(), result.summary());
      assertTrue(
          result.warnings().stream().anyMatch(w -> w.startsWith("entries.bin: torn final record")),
          result.summary());
      try (ProtocolLog log = ProtocolLog.open(dir, KEY, CLOCK)) {
        assertEquals(5, log.size(), "cut at " + cut);
      }
      assertArrayEquals(intact, Files.readAllBytes(entries), "cut at " + cut);
    }
    LogFiles.appendBytes(entries, new byte[4096]); // extended but never written
    try (ProtocolLog log = ProtocolLog.open(dir, KEY, CLOCK)) {
      assertEquals(5, log.size());
      assertEquals(5, log.append(EntryKind.STATE, STUDY, body(5)).index());
    }
    assertTrue(LogVerifier.verify(dir).ok());
  }

  @Test
  void tornFinalCheckpoint_isCutOff() throws Exception {
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      log.append(EntryKind.PLAN, STUDY, body(0));
      log.checkpoint();
    }
    Path checkpoints = dir.resolve("checkpoints.bin");
    byte[] intact = Files.readAllBytes(checkpoints);
    byte[] encoded = LogFiles.read(checkpoints).records.get(0);
    LogFiles.appendBytes(
        checkpoints,
        ByteBuffer.allocate(4 + 40).putInt(encoded.length).put(encoded, 0, 40).array());
    try (ProtocolLog log = ProtocolLog.open(dir, KEY, CLOCK)) {
      assertEquals(1, log.checkpointCount());
      log.checkpoint();
    }
    assertEquals(2, LogFiles.read(checkpoints).records.size());
    assertTrue(Files.size(checkpoints) > intact.length);
  }

  @Test
  void damageBeforeTheEnd_refusesToOpen() throws Exception {
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      for (int i = 0; i < 6; i++) {
        log.append(EntryKind.STATE, STUDY, body(i));
      }
    }
    Path entries = dir.resolve("entries.bin");
    byte[] intact = Files.readAllBytes(entries);
    LogFiles files = LogFiles.read(entries);
    // A changed timestamp in entry 2 breaks the chain at entry 3.
    LogFiles.flipByte(entries, files.offsetOf(2) + 4 + 1 + 8 + 7, 0x01);
    LogException e = assertThrows(LogException.class, () -> ProtocolLog.open(dir, KEY, CLOCK));
    assertTrue(
        e.getMessage().endsWith("hash chain broken: previous_hash does not match entry 2"),
        e.getMessage());
    assertTrue(e.getMessage().contains("entries.bin: entry 3 (byte offset "), e.getMessage());
    assertEquals(intact.length, Files.size(entries), "nothing truncated");

    // A length that runs past the end although a complete entry follows is not a torn write.
    Files.write(entries, intact);
    LogFiles.flipByte(entries, files.offsetOf(5) + 2, 0x01);
    e = assertThrows(LogException.class, () -> ProtocolLog.open(dir, KEY, CLOCK));
    assertTrue(e.getMessage().contains("the length was altered"), e.getMessage());
    assertEquals(intact.length, Files.size(entries));
  }

  @Test
  void open_refusesAnotherKey_aSecondOpen_andMissingFiles() throws Exception {
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      assertEquals(0, log.size());
      LogException e = assertThrows(LogException.class, () -> ProtocolLog.open(dir, KEY, CLOCK));
      assertTrue(e.getMessage().endsWith("protocol log is already open"), e.getMessage());
    }
    LogSigningKey other = LogSigningKey.generate(new SecureRandom());
    LogException e = assertThrows(LogException.class, () -> ProtocolLog.open(dir, other, CLOCK));
    assertTrue(
        e.getMessage()
            .endsWith(
                "log key "
                    + KEY.publicKey().fingerprint()
                    + " is not the signing key "
                    + other.publicKey().fingerprint()),
        e.getMessage());
    assertThrows(
        LogException.class, () -> ProtocolLog.openOrCreate(dir, "st-other", KEY), "other study");
    Files.delete(dir.resolve("checkpoints.bin"));
    e = assertThrows(LogException.class, () -> ProtocolLog.open(dir, KEY, CLOCK));
    assertTrue(e.getMessage().endsWith("not a protocol log: checkpoints.bin missing"));
  }

  @Test
  void append_refusesAnotherStudy_andUseAfterClose() throws Exception {
    ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> log.append(EntryKind.PLAN, "st-other", "{}"));
    assertTrue(e.getMessage().startsWith("entry of study \"st-other\" does not belong"));
    assertThrows(
        IllegalArgumentException.class, () -> log.append(EntryKind.PLAN, STUDY, "not json"));
    assertEquals(0, log.size());
    log.close();
    assertThrows(IllegalStateException.class, () -> log.append(EntryKind.PLAN, STUDY, "{}"));
  }

  @Test
  void concurrentAppends_stayConsecutiveAndChained() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    log.append(EntryKind.STEP_END, STUDY, "{\"thread\":" + thread + "}");
                    if (i % 10 == 0) {
                      log.checkpoint();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      log.checkpoint();
      assertEquals(200, log.size());
    } finally {
      pool.shutdown();
    }
    LogVerifier.Result result = LogVerifier.verify(dir, KEY.publicKey());
    assertTrue(result.ok(), result.summary());
    assertEquals(200, result.entries());
  }

  @Test
  void logKeys_createOwnerOnlyFile_andLoadTheSameKey() throws Exception {
    Path file = dir.resolve("keys/log-signing-key.pem");
    LogSigningKey created = LogKeys.loadOrCreate(file);
    assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----"));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
    assertEquals(created.publicKey(), LogKeys.loadOrCreate(file).publicKey());
    assertEquals(created.publicKey(), LogKeys.load(file).publicKey());
    assertFalse(Files.exists(file.resolveSibling("log-signing-key.pem.tmp")));
    Files.writeString(file, "garbage");
    assertThrows(IOException.class, () -> LogKeys.load(file));
  }

  @Test
  void checkpoint_ofAnEmptyLog_signsTheEmptyRoot() throws Exception {
    try (ProtocolLog log = ProtocolLog.create(dir, STUDY, KEY, CLOCK)) {
      Checkpoint checkpoint = log.checkpoint().checkpoint();
      assertEquals(0, checkpoint.treeSize());
      assertArrayEquals(MerkleTree.emptyRoot(), checkpoint.rootHash());
      checkpoint.checkSignature(KEY.publicKey());
    }
  }
}
