package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogKeys;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.cli.CleanroomCli;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One linked-risk study to its end: what the nodes keep afterwards, and {@code ./cleanroom log
 * verify} and {@code log show} on its protocol log, intact and damaged in each way the issue names.
 */
class StudyLogTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  @TempDir static Path temp;
  private static Path out;
  private static Map<String, Object> summary;
  private static String study;

  @BeforeAll
  static void study() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 3000, 3));
    out = temp.resolve("out");
    summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true).withTask(Tasks.LINKED_RISK, Map.of()),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    study = (String) summary.get("study");
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    CommandLine c = CleanroomCli.commandLine();
    c.setOut(new PrintWriter(o, true));
    c.setErr(new PrintWriter(e, true));
    int exit = c.execute(args);
    return new Cli(exit, o.toString(), e.toString());
  }

  /** A copy of the study's log to damage. */
  private static Path copyOfLog(String name) throws IOException {
    Path copy = Files.createDirectories(temp.resolve("damaged").resolve(name));
    try (Stream<Path> files = Files.list(out.resolve("log"))) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  private static Cli verifyFails(Path log, String firstProblem) {
    Cli run = cli("log", "verify", log.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("verdict:      FAILED"), run.out());
    assertTrue(
        run.err().startsWith("log verify: " + log + ": " + firstProblem), run.out() + run.err());
    return run;
  }

  @Test
  void study_endsDestroyed_andNoNodeKeepsAStudyFileOrKey() throws Exception {
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));
    for (String bank : BANKS) {
      Path work = out.resolve("work").resolve(bank);
      Path outputs = Path.of(WorkFolder.OUTPUTS, study);
      try (Stream<Path> files = Files.walk(work)) {
        List<Path> kept =
            files.filter(Files::isRegularFile).map(work::relativize).sorted().toList();
        // only the released output; no session file, no staged output, no key, no lock
        assertEquals(List.of(outputs.resolve("risk").resolve(bank + ".csv")), kept);
      }
      try (Stream<Path> sessions = Files.list(work.resolve(WorkFolder.SESSIONS));
          Stream<Path> staging = Files.list(work.resolve(WorkFolder.STAGING))) {
        assertEquals(0, sessions.count() + staging.count());
      }
      assertTrue(Files.exists(out.resolve("risk").resolve(bank + ".csv")));
    }
    // every node destroyed one file, its handles, and signed for it
    List<LogEntry> entries = LogEntries.read(out.resolve("log"));
    List<DestructionReceipt> receipts =
        entries.stream()
            .filter(e -> e.kind() == EntryKind.DESTRUCTION)
            .map(e -> DestructionReceipt.fromJson(e.body()))
            .toList();
    assertEquals(BANKS, receipts.stream().map(DestructionReceipt::node).sorted().toList());
    for (DestructionReceipt r : receipts) {
      assertEquals(1, r.files(), r.toString());
      assertTrue(r.bytes() > 3000, r.toString());
    }
    assertEquals(EntryKind.STATE, entries.get(entries.size() - 1).kind());
    assertEquals("{\"state\":\"DESTROYED\"}", entries.get(entries.size() - 1).body());
    // what each party keeps is logged by name and digest, never by size: the size of
    // risk/<bank>.csv would give the bank's number of grey-listed accounts
    List<LogEntry> kept =
        entries.stream()
            .filter(e -> e.kind() == EntryKind.RELEASE && e.body().contains("\"outputs\""))
            .toList();
    assertEquals(BANKS.size() + 1, kept.size(), "one release per bank and the coordinator");
    for (LogEntry e : kept) {
      assertTrue(e.body().contains("\"sha256\""), e.body());
      assertTrue(!e.body().contains("\"bytes\""), e.body());
    }
  }

  @Test
  void logVerify_intactLog_isOk() {
    Cli run = cli("log", "verify", out.resolve("log").toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("result:       OK"), run.out());
    assertTrue(run.out().contains("lifecycle:    OPEN -> LINKED -> RISK -> REPORTED -> DESTROYED"));
    assertTrue(run.out().contains("state:        DESTROYED"), run.out());
    assertTrue(run.out().contains("verdict:      OK"), run.out());
    assertTrue(run.out().contains("kinds:        PLAN 1, JOIN 3,"), run.out());
    assertEquals("", run.err());
  }

  @Test
  void logVerify_withTheCaAndTheWrongPinnedKey() throws Exception {
    Path otherKey = temp.resolve("other-key.pem");
    LogKeys.writePublicKey(otherKey, LogSigningKey.generate(new SecureRandom()).publicKey());
    Cli run = cli("log", "verify", "--key", otherKey.toString(), out.resolve("log").toString());
    assertEquals(1, run.exit(), run.out());
    assertTrue(run.err().contains("is not the pinned key"), run.err());
  }

  @Test
  void logShow_printsTheStateAndEveryEntry() throws Exception {
    Cli run = cli("log", "show", out.resolve("log").toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("study:        " + study), run.out());
    assertTrue(run.out().contains("state:        DESTROYED"), run.out());
    int entries = LogEntries.read(out.resolve("log")).size();
    assertEquals(entries + 6, run.out().lines().count(), run.out());
    assertTrue(run.out().contains("RELEASE      to bank-a: risk/bank-a.csv"), run.out());
    assertTrue(run.out().contains("DESTRUCTION  bank-b destroyed 1 files"), run.out());
  }

  @Test
  void logVerify_changedByte_namesTheEntry() throws Exception {
    Path log = copyOfLog("changed");
    Path file = log.resolve("entries.bin");
    LogRecords r = LogRecords.read(file);
    r.records.get(6)[16] ^= 1; // the lowest byte of entry 6's timestamp
    r.write(file);
    verifyFails(
        log,
        "entry 6: contents altered: its hash does not match the previous_hash recorded in entry 7");
  }

  @Test
  void logVerify_removedEntry_namesIt() throws Exception {
    Path log = copyOfLog("removed");
    Path file = log.resolve("entries.bin");
    LogRecords r = LogRecords.read(file);
    r.records.remove(5);
    r.write(file);
    verifyFails(log, "entry 5: index 6, expected 5 (entry removed)");
  }

  @Test
  void logVerify_reorderedEntries_areNamed() throws Exception {
    Path log = copyOfLog("reordered");
    Path file = log.resolve("entries.bin");
    LogRecords r = LogRecords.read(file);
    Collections.swap(r.records, 5, 6);
    r.write(file);
    verifyFails(log, "entry 5: index 6, expected 5 (entries reordered: entry 5 is at position 6)");
  }

  @Test
  void logVerify_insertedEntry_isNamed() throws Exception {
    Path log = copyOfLog("inserted");
    Path file = log.resolve("entries.bin");
    LogRecords r = LogRecords.read(file);
    LogEntry before = LogEntry.decode(r.records.get(4));
    LogEntry forged =
        before.next(before.timestampMillis() + 1, EntryKind.STATE, "{\"state\":\"RISK\"}");
    r.records.add(5, forged.encode());
    r.write(file);
    verifyFails(
        log, "entry 5: inserted: entry 6 also has index 5 and is the one chained to entry 4");
  }

  @Test
  void logVerify_forgedCheckpoint_isNamed() throws Exception {
    Path log = copyOfLog("forged-checkpoint");
    Path file = log.resolve("checkpoints.bin");
    LogRecords r = LogRecords.read(file);
    byte[] record = r.records.get(3);
    record[record.length - 1] ^= 1; // the signature's last byte
    r.write(file);
    long size = Checkpoint.decode(record).treeSize();
    verifyFails(log, "checkpoint 3 (size " + size + "): signature invalid");
  }

  @Test
  void logVerify_checkpointSignedWithAnotherKey_isNamed() throws Exception {
    Path log = copyOfLog("other-key");
    Path file = log.resolve("checkpoints.bin");
    LogRecords r = LogRecords.read(file);
    Checkpoint genuine = Checkpoint.decode(r.records.get(2));
    LogSigningKey other = LogSigningKey.generate(new SecureRandom());
    r.records.set(
        2,
        Checkpoint.sign(
                study, genuine.treeSize(), genuine.rootHash(), genuine.timestampMillis(), other)
            .encode());
    r.write(file);
    Cli run = verifyFails(log, "checkpoint 2 (size " + genuine.treeSize() + "): signed by key ");
    assertTrue(run.err().contains(other.publicKey().fingerprint()), run.err());
    assertFalse(run.out().contains("verdict:      OK"));
  }
}
