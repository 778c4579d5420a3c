package io.cleanroom.coordinator.log;

import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.log.MerkleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a {@link ProtocolLog} directory offline, without modifying it: every record parses, entry
 * indices are consecutive, the hash chain holds, every checkpoint is signed by the log key, covers
 * existing entries with the Merkle root (RFC 9162 §2.1) of exactly the first {@code size} entries,
 * and is consistent (RFC 9162 §2.1.4) with the checkpoint before it.
 *
 * <p>Entries and checkpoints are named by their position in their file, from 0. When the log is
 * bad, the result names the first bad entry and the first bad checkpoint precisely, e.g. "entry 7:
 * hash chain broken: previous_hash does not match entry 6" or "checkpoint 2 (size 12): signature
 * invalid".
 *
 * <p>What this can detect: any changed byte in an entry followed by another entry or covered by a
 * checkpoint; removed, reordered or inserted entries; checkpoints that are forged, signed by
 * another key, or whose root does not match the entries. Entries after the last checkpoint are
 * protected by the hash chain only: the last of them can be changed or dropped unnoticed, which the
 * summary states. Without a pinned key, the key is taken from {@value ProtocolLog#PUBLIC_KEY_FILE}
 * in the same directory, so whoever can rewrite the whole directory can also re-sign it; {@link
 * #verify(Path, LogPublicKey)} with the coordinator's published key closes that gap.
 */
public final class LogVerifier {
  private LogVerifier() {}

  /**
   * Verifies the log in {@code dir} against the key in its {@value ProtocolLog#PUBLIC_KEY_FILE}.
   */
  public static Result verify(Path dir) {
    return verify(dir, null);
  }

  /**
   * Verifies the log in {@code dir} against {@code pinned}, the coordinator's key obtained
   * independently; {@value ProtocolLog#PUBLIC_KEY_FILE} must then hold the same key.
   */
  public static Result verify(Path dir, LogPublicKey pinned) {
    Run run = new Run(dir, pinned);
    run.run();
    return run.result();
  }

  /** The outcome of a verification. */
  public static final class Result {
    private final List<String> problems;
    private final List<String> warnings;
    private final String summary;
    private final long entries;
    private final int checkpoints;
    private final byte[] rootHash;

    private Result(
        List<String> problems,
        List<String> warnings,
        String summary,
        long entries,
        int checkpoints,
        byte[] rootHash) {
      this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
      this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
      this.summary = summary;
      this.entries = entries;
      this.checkpoints = checkpoints;
      this.rootHash = rootHash;
    }

    /** Whether no problem was found. */
    public boolean ok() {
      return problems.isEmpty();
    }

    /**
     * The problems found, most important first: the key, then the first bad entry, then the first
     * bad checkpoint.
     */
    public List<String> problems() {
      return problems;
    }

    /** The first problem, if any. */
    public Optional<String> firstProblem() {
      return problems.stream().findFirst();
    }

    /**
     * Things that are not tampering but limit what the log proves (torn tail, unsigned entries).
     */
    public List<String> warnings() {
      return warnings;
    }

    /**
     * A multi-line human-readable summary: entries, checkpoints, studies, counts per kind, final
     * root, key fingerprint, first and last timestamp, and the outcome.
     */
    public String summary() {
      return summary;
    }

    /** The number of readable entries. */
    public long entries() {
      return entries;
    }

    /** The number of readable checkpoints. */
    public int checkpoints() {
      return checkpoints;
    }

    /** The Merkle root of all readable entries. */
    public byte[] rootHash() {
      return rootHash.clone();
    }

    @Override
    public String toString() {
      return summary;
    }
  }

  /** What the verifier keeps of one entry. */
  private static final class Entry {
    final long index;
    final long timestamp;
    final String studyId;
    final EntryKind kind;
    final byte[] previousHash;
    final byte[] hash;

    Entry(LogEntry entry) {
      this.index = entry.index();
      this.timestamp = entry.timestampMillis();
      this.studyId = entry.studyId();
      this.kind = entry.kind();
      this.previousHash = entry.previousHash();
      this.hash = entry.hash();
    }
  }

  /** One verification. */
  private static final class Run {
    final Path dir;
    final LogPublicKey pinned;
    final List<String> warnings = new ArrayList<>();
    final List<Entry> entries = new ArrayList<>();
    final MerkleTree tree = new MerkleTree();
    LogPublicKey key;
    String keyProblem;
    String entryProblem;
    String checkpointProblem;
    String studyId;
    int checkpointCount;
    Checkpoint lastCheckpoint;

    Run(Path dir, LogPublicKey pinned) {
      this.dir = dir;
      this.pinned = pinned;
    }

    void run() {
      checkKey();
      checkEntries();
      checkCheckpoints();
    }

    void checkKey() {
      Path file = dir.resolve(ProtocolLog.PUBLIC_KEY_FILE);
      LogPublicKey stored = null;
      String storedProblem = null;
      if (!Files.exists(file)) {
        storedProblem = ProtocolLog.PUBLIC_KEY_FILE + ": missing";
      } else {
        try {
          stored = LogKeys.readPublicKey(file);
        } catch (IOException e) {
          storedProblem = ProtocolLog.PUBLIC_KEY_FILE + ": unusable: " + e.getMessage();
        }
      }
      if (pinned != null) {
        key = pinned;
        if (stored != null && !stored.equals(pinned)) {
          keyProblem =
              ProtocolLog.PUBLIC_KEY_FILE
                  + ": key "
                  + stored.fingerprint()
                  + " is not the pinned key "
                  + pinned.fingerprint();
        } else if (stored == null) {
          warnings.add(storedProblem + "; checking against the pinned key");
        }
      } else {
        key = stored;
        if (stored == null) {
          keyProblem = storedProblem + ": no key to check the checkpoints with";
        } else {
          warnings.add(
              "key not pinned: checkpoints are checked against "
                  + ProtocolLog.PUBLIC_KEY_FILE
                  + " from the same directory");
        }
      }
    }

    void checkEntries() {
      Path file = dir.resolve(ProtocolLog.ENTRIES_FILE);
      if (!Files.exists(file)) {
        entryProblem = ProtocolLog.ENTRIES_FILE + ": missing";
        return;
      }
      String[] unreadable = {null};
      RecordFile.Scan scan;
      try {
        scan =
            RecordFile.scan(
                file,
                RecordFile.ENTRIES_MAGIC,
                "entry",
                LogEntry::isIncomplete,
                (position, offset, payload) -> {
                  try {
                    LogEntry entry = LogEntry.decode(payload);
                    entries.add(new Entry(entry));
                    tree.appendLeafHash(entry.leafHash());
                    return true;
                  } catch (LogException e) {
                    unreadable[0] =
                        "entry "
                            + position
                            + " (byte offset "
                            + offset
                            + "): unreadable: "
                            + e.getMessage();
                    return false;
                  }
                });
      } catch (IOException | LogException e) {
        entryProblem = ProtocolLog.ENTRIES_FILE + ": cannot read: " + e.getMessage();
        return;
      }
      studyId = scan.studyId;
      if (unreadable[0] == null) {
        unreadable[0] = scan.problem;
      }
      if (scan.tornTail != null) {
        warnings.add(scan.tornTail + " (opening the log cuts it off)");
      }
      // Problems among the readable entries come before an unreadable record further on.
      String sequence = checkSequence();
      entryProblem = sequence != null ? sequence : unreadable[0];
    }

    /** The first problem in the order of the readable entries, or null. */
    String checkSequence() {
      for (int p = 0; p < entries.size(); p++) {
        Entry entry = entries.get(p);
        if (studyId != null && !studyId.equals(entry.studyId)) {
          return "entry "
              + p
              + ": study \""
              + entry.studyId
              + "\", but "
              + ProtocolLog.ENTRIES_FILE
              + " belongs to study \""
              + studyId
              + "\"";
        }
        if (entry.index != p) {
          return indexProblem(p);
        }
        byte[] expected = p == 0 ? LogEntry.genesisHash() : entries.get(p - 1).hash;
        if (!MessageDigest.isEqual(entry.previousHash, expected)) {
          return chainProblem(p);
        }
      }
      return null;
    }

    /** Entry {@code p} carries another index than {@code p}: say what most likely happened. */
    String indexProblem(int p) {
      long index = entries.get(p).index;
      String problem = "entry " + p + ": index " + index + ", expected " + p;
      if (p + 1 < entries.size() && entries.get(p + 1).index == p + 1) {
        return problem + " (the next entry has index " + (p + 1) + ": this index was altered)";
      }
      if (index > p) {
        for (int q = p + 1; q < entries.size(); q++) {
          if (entries.get(q).index == p) {
            return problem + " (entries reordered: entry " + p + " is at position " + q + ")";
          }
        }
        return problem
            + (index == p + 1
                ? " (entry removed)"
                : " (entries " + p + " to " + (index - 1) + " removed)");
      }
      // An index seen before. If this entry continues the chain from the entry before position
      // `index`, the entry already accepted at position `index` is the one that was inserted.
      int original = (int) index;
      byte[] chainedFrom = original == 0 ? LogEntry.genesisHash() : entries.get(original - 1).hash;
      if (MessageDigest.isEqual(entries.get(p).previousHash, chainedFrom)) {
        return "entry "
            + original
            + ": inserted: entry "
            + p
            + " also has index "
            + index
            + " and is the one chained to "
            + (original == 0 ? "the start of the log" : "entry " + (original - 1));
      }
      return problem + " (index " + index + " repeated: an entry was inserted or duplicated)";
    }

    /**
     * The {@code previous_hash} of entry {@code p} is not the hash of entry {@code p - 1}. If entry
     * {@code p} is itself intact (the next entry chains to it), entry {@code p - 1} was altered.
     */
    String chainProblem(int p) {
      if (p == 0) {
        return "entry 0: hash chain broken: previous_hash of the first entry is not 32 zero bytes";
      }
      boolean nextChainsToThis =
          p + 1 < entries.size()
              && entries.get(p + 1).index == p + 1
              && MessageDigest.isEqual(entries.get(p + 1).previousHash, entries.get(p).hash);
      if (nextChainsToThis) {
        return "entry "
            + (p - 1)
            + ": contents altered: its hash does not match the previous_hash recorded in entry "
            + p;
      }
      return "entry " + p + ": hash chain broken: previous_hash does not match entry " + (p - 1);
    }

    void checkCheckpoints() {
      Path file = dir.resolve(ProtocolLog.CHECKPOINTS_FILE);
      if (!Files.exists(file)) {
        checkpointProblem = ProtocolLog.CHECKPOINTS_FILE + ": missing";
        return;
      }
      List<Checkpoint> checkpoints = new ArrayList<>();
      String[] unreadable = {null};
      RecordFile.Scan scan;
      try {
        scan =
            RecordFile.scan(
                file,
                RecordFile.CHECKPOINTS_MAGIC,
                "checkpoint",
                Checkpoint::isIncomplete,
                (position, offset, payload) -> {
                  try {
                    checkpoints.add(Checkpoint.decode(payload));
                    return true;
                  } catch (LogException e) {
                    unreadable[0] =
                        "checkpoint "
                            + position
                            + " (byte offset "
                            + offset
                            + "): unreadable: "
                            + e.getMessage();
                    return false;
                  }
                });
      } catch (IOException | LogException e) {
        checkpointProblem = ProtocolLog.CHECKPOINTS_FILE + ": cannot read: " + e.getMessage();
        return;
      }
      if (unreadable[0] == null) {
        unreadable[0] = scan.problem;
      }
      if (scan.tornTail != null) {
        warnings.add(scan.tornTail + " (opening the log cuts it off)");
      }
      if (scan.studyId != null && studyId != null && !scan.studyId.equals(studyId)) {
        checkpointProblem =
            ProtocolLog.CHECKPOINTS_FILE
                + ": belongs to study \""
                + scan.studyId
                + "\", "
                + ProtocolLog.ENTRIES_FILE
                + " to study \""
                + studyId
                + "\"";
        return;
      }
      if (studyId == null) {
        studyId = scan.studyId;
      }
      checkpointProblem = checkSequence(checkpoints);
      if (checkpointProblem == null) {
        checkpointProblem = unreadable[0];
      }
    }

    /** The first problem among readable checkpoints, or null. */
    String checkSequence(List<Checkpoint> checkpoints) {
      Checkpoint previous = null;
      for (int k = 0; k < checkpoints.size(); k++) {
        Checkpoint checkpoint = checkpoints.get(k);
        long size = checkpoint.treeSize();
        String where = "checkpoint " + k + " (size " + size + "): ";
        if (studyId != null && !studyId.equals(checkpoint.studyId())) {
          return where
              + "for study \""
              + checkpoint.studyId()
              + "\", the log is of study \""
              + studyId
              + "\"";
        }
        if (key != null) {
          if (!checkpoint.keyFingerprint().equals(key.fingerprint())) {
            return where
                + "signed by key "
                + checkpoint.keyFingerprint()
                + ", not the log key "
                + key.fingerprint();
          }
          if (!checkpoint.signatureValid(key)) {
            return where + "signature invalid";
          }
        }
        long previousSize = previous == null ? 0 : previous.treeSize();
        if (size < previousSize) {
          return where
              + "smaller than checkpoint "
              + (k - 1)
              + " (size "
              + previousSize
              + "): the log shrank";
        }
        if (size > tree.size()) {
          return where
              + "covers "
              + size
              + " entries but "
              + ProtocolLog.ENTRIES_FILE
              + " has only "
              + tree.size()
              + " readable (entries removed from the end)";
        }
        byte[] actual = tree.root(size);
        if (!MessageDigest.isEqual(checkpoint.rootHash(), actual)) {
          return where
              + "root "
              + hex(checkpoint.rootHash())
              + " does not match the Merkle root "
              + hex(actual)
              + " of the first "
              + size
              + " entries"
              + (previous == null
                  ? ""
                  : " (checkpoint "
                      + (k - 1)
                      + " matches the first "
                      + previousSize
                      + ": the difference lies in entries "
                      + previousSize
                      + " to "
                      + (size - 1)
                      + ")");
        }
        if (previous != null) {
          try {
            MerkleTree.checkConsistency(
                previousSize,
                size,
                previous.rootHash(),
                checkpoint.rootHash(),
                tree.consistencyProof(previousSize, size));
          } catch (LogException e) {
            return where + "not consistent with checkpoint " + (k - 1) + ": " + e.getMessage();
          }
        }
        previous = checkpoint;
        checkpointCount = k + 1;
        lastCheckpoint = checkpoint;
      }
      checkpointCount = checkpoints.size();
      return null;
    }

    Result result() {
      List<String> problems = new ArrayList<>();
      for (String problem : new String[] {keyProblem, entryProblem, checkpointProblem}) {
        if (problem != null) {
          problems.add(problem);
        }
      }
      if (lastCheckpoint != null && lastCheckpoint.treeSize() < entries.size()) {
        long unsigned = entries.size() - lastCheckpoint.treeSize();
        warnings.add(
            unsigned + " entries after the last checkpoint are protected by the hash chain only");
      } else if (lastCheckpoint == null && !entries.isEmpty()) {
        warnings.add("no checkpoint: the entries are protected by the hash chain only");
      }
      return new Result(
          problems, warnings, summary(problems), entries.size(), checkpointCount, tree.root());
    }

    String summary(List<String> problems) {
      Map<String, Integer> studies = new LinkedHashMap<>();
      Map<EntryKind, Integer> kinds = new EnumMap<>(EntryKind.class);
      for (Entry entry : entries) {
        studies.merge(entry.studyId, 1, Integer::sum);
        kinds.merge(entry.kind, 1, Integer::sum);
      }
      StringBuilder out = new StringBuilder();
      line(out, "protocol log", dir.toString());
      line(out, "study", studyId == null ? "(unknown)" : studyId);
      line(out, "entries", Long.toString(entries.size()));
      line(out, "studies", join(studies));
      line(out, "kinds", join(kinds));
      line(
          out,
          "checkpoints",
          checkpointCount
              + (lastCheckpoint == null
                  ? ""
                  : ", last of size "
                      + lastCheckpoint.treeSize()
                      + " at "
                      + Instant.ofEpochMilli(lastCheckpoint.timestampMillis())));
      line(out, "root", hex(tree.root()) + " (size " + tree.size() + ")");
      line(
          out,
          "key",
          key == null
              ? "(none)"
              : key.fingerprint() + (pinned != null ? " (pinned)" : " (from log-public-key.pem)"));
      line(
          out,
          "first entry",
          entries.isEmpty() ? "-" : Instant.ofEpochMilli(entries.get(0).timestamp).toString());
      line(
          out,
          "last entry",
          entries.isEmpty()
              ? "-"
              : Instant.ofEpochMilli(entries.get(entries.size() - 1).timestamp).toString());
      line(out, "result", problems.isEmpty() ? "OK" : "FAILED");
      for (String problem : problems) {
        line(out, "problem", problem);
      }
      for (String warning : warnings) {
        line(out, "warning", warning);
      }
      return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
      out.append(String.format("%-13s %s%n", label + ":", value));
    }

    private static String join(Map<?, Integer> counts) {
      if (counts.isEmpty()) {
        return "-";
      }
      StringBuilder out = new StringBuilder();
      counts.forEach(
          (name, count) -> out.append(out.length() == 0 ? "" : ", ").append(name + " " + count));
      return out.toString();
    }

    private static String hex(byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
  }
}
