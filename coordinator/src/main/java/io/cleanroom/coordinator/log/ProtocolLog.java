package io.cleanroom.coordinator.log;

import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.log.MerkleTree;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One study's durable, append-only, tamper-evident protocol log, kept in a directory:
 *
 * <ul>
 *   <li>{@value #ENTRIES_FILE}: the magic {@code CRLOGEN1}, the study id (u32 big-endian byte
 *       length, then UTF-8), then one record per {@link LogEntry}: a u32 big-endian length followed
 *       by the entry's canonical encoding;
 *   <li>{@value #CHECKPOINTS_FILE}: the magic {@code CRLOGCP1}, the study id, then one record per
 *       {@link Checkpoint} in its stored encoding, framed the same way;
 *   <li>{@value #PUBLIC_KEY_FILE}: the public key that checks the checkpoints, as PEM.
 * </ul>
 *
 * <p>{@link #append} returns only once the entry is forced to the storage device, so an
 * acknowledged entry survives a crash; {@link #checkpoint} signs the current tree head (RFC 9162
 * §2.1 Merkle root) and returns it with the consistency proof (§2.1.4) from the previous
 * checkpoint, for the bank nodes' {@link io.cleanroom.protocol.log.CheckpointVerifier}.
 *
 * <p>{@link #open} rebuilds the Merkle tree and checks the hash chain and every checkpoint. A torn
 * final record left by a crash during an append is cut off with a warning (it was never
 * acknowledged); any other damage refuses to open. The log holds an exclusive lock on {@value
 * #ENTRIES_FILE} while open. Thread-safe.
 */
public final class ProtocolLog implements Closeable {
  /** The entries file in a log directory. */
  public static final String ENTRIES_FILE = "entries.bin";

  /** The checkpoints file in a log directory. */
  public static final String CHECKPOINTS_FILE = "checkpoints.bin";

  /** The coordinator's public key file in a log directory. */
  public static final String PUBLIC_KEY_FILE = "log-public-key.pem";

  private static final System.Logger LOG = System.getLogger(ProtocolLog.class.getName());

  private final Path dir;
  private final String studyId;
  private final LogSigningKey key;
  private final Clock clock;
  private final MerkleTree tree;
  private final FileChannel entries;
  private final FileChannel checkpoints;
  private final FileLock lock;
  private long entriesEnd;
  private long checkpointsEnd;
  private byte[] lastHash;
  private LogEntry lastEntry;
  private Checkpoint lastCheckpoint;
  private int checkpointCount;
  private IOException failure;
  private boolean closed;

  private ProtocolLog(
      Path dir,
      String studyId,
      LogSigningKey key,
      Clock clock,
      MerkleTree tree,
      FileChannel entries,
      FileChannel checkpoints,
      FileLock lock) {
    this.dir = dir;
    this.studyId = studyId;
    this.key = key;
    this.clock = clock;
    this.tree = tree;
    this.entries = entries;
    this.checkpoints = checkpoints;
    this.lock = lock;
  }

  /**
   * Creates a new, empty log for study {@code studyId} in {@code dir} (created if needed) and opens
   * it.
   *
   * @throws FileAlreadyExistsException if {@code dir} already holds a log
   */
  public static ProtocolLog create(Path dir, String studyId, LogSigningKey key)
      throws IOException, LogException {
    return create(dir, studyId, key, Clock.systemUTC());
  }

  /** {@link #create(Path, String, LogSigningKey)} with the clock that timestamps entries. */
  public static ProtocolLog create(Path dir, String studyId, LogSigningKey key, Clock clock)
      throws IOException, LogException {
    LogEntry.checkStudyId(studyId);
    Files.createDirectories(dir);
    Path entriesFile = dir.resolve(ENTRIES_FILE);
    if (Files.exists(entriesFile)) {
      throw new FileAlreadyExistsException(
          entriesFile.toString(), null, "already a protocol log; open it instead");
    }
    LogKeys.writePublicKey(dir.resolve(PUBLIC_KEY_FILE), key.publicKey());
    RecordFile.writeAtomically(
        dir.resolve(CHECKPOINTS_FILE), RecordFile.header(RecordFile.CHECKPOINTS_MAGIC, studyId));
    // The entries file comes last: a directory without it holds no log yet.
    RecordFile.writeAtomically(entriesFile, RecordFile.header(RecordFile.ENTRIES_MAGIC, studyId));
    return open(dir, key, clock);
  }

  /**
   * Opens the log in {@code dir} if there is one, and then it must be study {@code studyId}'s;
   * creates it otherwise.
   */
  public static ProtocolLog openOrCreate(Path dir, String studyId, LogSigningKey key)
      throws IOException, LogException {
    if (!Files.exists(dir.resolve(ENTRIES_FILE))) {
      return create(dir, studyId, key);
    }
    ProtocolLog log = open(dir, key);
    if (!log.studyId().equals(studyId)) {
      log.close();
      throw new LogException(
          dir + ": holds the log of study \"" + log.studyId() + "\", not \"" + studyId + "\"");
    }
    return log;
  }

  /**
   * Reopens the existing log in {@code dir}, signed with {@code key}.
   *
   * @throws LogException naming the file, the record and what is wrong, if the log is damaged other
   *     than by a torn final record, or was created with another key
   */
  public static ProtocolLog open(Path dir, LogSigningKey key) throws IOException, LogException {
    return open(dir, key, Clock.systemUTC());
  }

  /** {@link #open(Path, LogSigningKey)} with the clock that timestamps entries. */
  public static ProtocolLog open(Path dir, LogSigningKey key, Clock clock)
      throws IOException, LogException {
    Path entriesFile = dir.resolve(ENTRIES_FILE);
    Path checkpointsFile = dir.resolve(CHECKPOINTS_FILE);
    Path keyFile = dir.resolve(PUBLIC_KEY_FILE);
    for (Path file : List.of(entriesFile, checkpointsFile, keyFile)) {
      if (!Files.isRegularFile(file)) {
        throw new LogException(dir + ": not a protocol log: " + file.getFileName() + " missing");
      }
    }
    LogPublicKey publicKey;
    try {
      publicKey = LogKeys.readPublicKey(keyFile);
    } catch (IOException e) {
      throw new LogException(e.getMessage(), e);
    }
    if (!publicKey.equals(key.publicKey())) {
      throw new LogException(
          keyFile
              + ": log key "
              + publicKey.fingerprint()
              + " is not the signing key "
              + key.publicKey().fingerprint());
    }

    FileChannel entries =
        FileChannel.open(entriesFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileChannel checkpoints = null;
    FileLock lock = null;
    try {
      try {
        // A region past any data, so that the lock never blocks reading the records.
        lock = entries.tryLock(Long.MAX_VALUE - 1, 1, false);
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new LogException(dir + ": protocol log is already open");
      }
      Opened opened = new Opened(key.publicKey());
      String where = dir.resolve(ENTRIES_FILE).toString();
      RecordFile.Scan entryScan =
          RecordFile.scan(
              entriesFile,
              RecordFile.ENTRIES_MAGIC,
              "entry",
              LogEntry::isIncomplete,
              (position, offset, payload) -> {
                opened.entry(where, position, offset, payload);
                return true;
              });
      if (entryScan.problem != null) {
        throw new LogException(dir + ": " + entryScan.problem);
      }
      opened.studyId = entryScan.studyId;
      if (opened.lastEntry != null && !opened.lastEntry.studyId().equals(opened.studyId)) {
        throw new LogException(
            where
                + ": entries are of study \""
                + opened.lastEntry.studyId()
                + "\", the file header names \""
                + opened.studyId
                + "\"");
      }
      if (entryScan.tornTail != null) {
        truncate(entries, entryScan.end, dir, entryScan.tornTail);
      }

      String cpWhere = dir.resolve(CHECKPOINTS_FILE).toString();
      RecordFile.Scan checkpointScan =
          RecordFile.scan(
              checkpointsFile,
              RecordFile.CHECKPOINTS_MAGIC,
              "checkpoint",
              Checkpoint::isIncomplete,
              (position, offset, payload) -> {
                opened.checkpoint(cpWhere, position, offset, payload);
                return true;
              });
      if (checkpointScan.problem != null) {
        throw new LogException(dir + ": " + checkpointScan.problem);
      }
      if (!entryScan.studyId.equals(checkpointScan.studyId)) {
        throw new LogException(
            dir
                + ": "
                + CHECKPOINTS_FILE
                + " belongs to study \""
                + checkpointScan.studyId
                + "\", "
                + ENTRIES_FILE
                + " to \""
                + entryScan.studyId
                + "\"");
      }
      checkpoints =
          FileChannel.open(checkpointsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (checkpointScan.tornTail != null) {
        truncate(checkpoints, checkpointScan.end, dir, checkpointScan.tornTail);
      }

      ProtocolLog log =
          new ProtocolLog(
              dir, entryScan.studyId, key, clock, opened.tree, entries, checkpoints, lock);
      log.entriesEnd = entryScan.end;
      log.checkpointsEnd = checkpointScan.end;
      log.lastHash = opened.lastHash;
      log.lastEntry = opened.lastEntry;
      log.lastCheckpoint = opened.lastCheckpoint;
      log.checkpointCount = checkpointScan.records;
      return log;
    } catch (IOException | LogException | RuntimeException e) {
      closeQuietly(checkpoints, e);
      closeQuietly(entries, e); // also releases the lock
      throw e;
    }
  }

  /** State rebuilt while scanning the files in {@link #open}. */
  private static final class Opened {
    final LogPublicKey publicKey;
    final MerkleTree tree = new MerkleTree();
    String studyId;
    byte[] lastHash = LogEntry.genesisHash();
    LogEntry lastEntry;
    Checkpoint lastCheckpoint;

    Opened(LogPublicKey publicKey) {
      this.publicKey = publicKey;
    }

    void entry(String file, int position, long offset, byte[] payload) throws LogException {
      String where = file + ": entry " + position + " (byte offset " + offset + ")";
      LogEntry entry;
      try {
        entry = LogEntry.decode(payload);
      } catch (LogException e) {
        throw new LogException(where + ": " + e.getMessage(), e);
      }
      if (entry.index() != position) {
        throw new LogException(where + ": index " + entry.index() + ", expected " + position);
      }
      if (lastEntry != null && !lastEntry.studyId().equals(entry.studyId())) {
        throw new LogException(
            where
                + ": study \""
                + entry.studyId()
                + "\", entry 0 is of study \""
                + lastEntry.studyId()
                + "\"");
      }
      if (!MessageDigest.isEqual(entry.previousHash(), lastHash)) {
        throw new LogException(
            where
                + ": hash chain broken: previous_hash does not match "
                + (position == 0 ? "the 32 zero bytes of entry 0" : "entry " + (position - 1)));
      }
      tree.appendLeafHash(entry.leafHash());
      lastHash = entry.hash();
      lastEntry = entry;
    }

    void checkpoint(String file, int position, long offset, byte[] payload) throws LogException {
      String where = file + ": checkpoint " + position + " (byte offset " + offset + ")";
      Checkpoint checkpoint;
      try {
        checkpoint = Checkpoint.decode(payload);
      } catch (LogException e) {
        throw new LogException(where + ": " + e.getMessage(), e);
      }
      long size = checkpoint.treeSize();
      where += " of size " + size;
      if (!checkpoint.studyId().equals(studyId)) {
        throw new LogException(where + ": for study \"" + checkpoint.studyId() + "\"");
      }
      try {
        checkpoint.checkSignature(publicKey);
      } catch (LogException e) {
        throw new LogException(where + ": " + e.getMessage(), e);
      }
      if (size > tree.size()) {
        throw new LogException(
            where + ": covers more entries than the " + tree.size() + " in " + ENTRIES_FILE);
      }
      if (lastCheckpoint != null && size < lastCheckpoint.treeSize()) {
        throw new LogException(
            where + ": smaller than the previous checkpoint of size " + lastCheckpoint.treeSize());
      }
      if (!MessageDigest.isEqual(checkpoint.rootHash(), tree.root(size))) {
        throw new LogException(
            where + ": root does not match the Merkle root of the first " + size + " entries");
      }
      lastCheckpoint = checkpoint;
    }
  }

  private static void truncate(FileChannel channel, long end, Path dir, String why)
      throws IOException {
    LOG.log(
        System.Logger.Level.WARNING,
        dir + ": " + why + "; cutting it off (it was never acknowledged)");
    channel.truncate(end);
    channel.force(true);
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Appends an entry of study {@code studyId} (which must be this log's study) with the next index,
   * the current time, and the hash of the previous entry; returns it once it is on the storage
   * device.
   *
   * @throws IllegalArgumentException if the study is not this log's, or the kind or body is
   *     unusable (see {@link LogEntry})
   * @throws IOException if the entry cannot be written durably; it is then not part of the log, and
   *     the log refuses further writes until reopened
   */
  public synchronized LogEntry append(EntryKind kind, String studyId, String jsonBody)
      throws IOException {
    checkWritable();
    if (!this.studyId.equals(studyId)) {
      throw new IllegalArgumentException(
          "entry of study \""
              + studyId
              + "\" does not belong in the protocol log of study \""
              + this.studyId
              + "\" ("
              + dir
              + ")");
    }
    LogEntry entry = new LogEntry(tree.size(), clock.millis(), studyId, kind, jsonBody, lastHash);
    entriesEnd = write(entries, entriesEnd, entry.encode(), ENTRIES_FILE);
    tree.appendLeafHash(entry.leafHash());
    lastHash = entry.hash();
    lastEntry = entry;
    return entry;
  }

  /**
   * Signs the current tree head, stores the checkpoint durably, and returns it with the consistency
   * proof from the previous checkpoint (from size 0 with an empty proof for the first).
   *
   * @throws IOException if the checkpoint cannot be written durably; the log then refuses further
   *     writes until reopened
   */
  public synchronized CheckpointUpdate checkpoint() throws IOException {
    checkWritable();
    long size = tree.size();
    Checkpoint checkpoint = Checkpoint.sign(studyId, size, tree.root(), clock.millis(), key);
    long previousSize = lastCheckpoint == null ? 0 : lastCheckpoint.treeSize();
    List<byte[]> proof = tree.consistencyProof(previousSize, size);
    checkpointsEnd = write(checkpoints, checkpointsEnd, checkpoint.encode(), CHECKPOINTS_FILE);
    lastCheckpoint = checkpoint;
    checkpointCount++;
    return new CheckpointUpdate(checkpoint, previousSize, proof);
  }

  private long write(FileChannel channel, long end, byte[] payload, String file)
      throws IOException {
    try {
      return RecordFile.append(channel, end, payload);
    } catch (IOException e) {
      failure = new IOException(dir.resolve(file) + ": write failed: " + e.getMessage(), e);
      try {
        channel.truncate(end);
        channel.force(true);
      } catch (IOException cleanup) {
        failure.addSuppressed(cleanup);
      }
      throw failure;
    }
  }

  private void checkWritable() throws IOException {
    checkOpen();
    if (failure != null) {
      throw new IOException(
          "protocol log " + dir + " refuses writes after a failed write; reopen it", failure);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("protocol log " + dir + " is closed");
    }
  }

  /**
   * The RFC 9162 §2.1.3 inclusion proof of entry {@code index} in the tree of size {@code
   * treeSize}.
   */
  public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
    checkOpen();
    return tree.inclusionProof(index, treeSize);
  }

  /**
   * The RFC 9162 §2.1.4 consistency proof between the trees of sizes {@code first} and {@code
   * second}.
   */
  public synchronized List<byte[]> consistencyProof(long first, long second) {
    checkOpen();
    return tree.consistencyProof(first, second);
  }

  /** The number of entries. */
  public synchronized long size() {
    return tree.size();
  }

  /** The Merkle root of all entries. */
  public synchronized byte[] rootHash() {
    return tree.root();
  }

  /** The Merkle root of the first {@code treeSize} entries. */
  public synchronized byte[] rootHash(long treeSize) {
    return tree.root(treeSize);
  }

  /** The last entry, if any. */
  public synchronized Optional<LogEntry> lastEntry() {
    return Optional.ofNullable(lastEntry);
  }

  /** The last checkpoint, if any. */
  public synchronized Optional<Checkpoint> lastCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }

  /** The number of checkpoints. */
  public synchronized int checkpointCount() {
    return checkpointCount;
  }

  /** The study this log belongs to. */
  public String studyId() {
    return studyId;
  }

  /** The key that checks this log's checkpoints. */
  public LogPublicKey publicKey() {
    return key.publicKey();
  }

  /** The log's directory. */
  public Path directory() {
    return dir;
  }

  /** Releases the files; further use throws {@link IllegalStateException}. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      try {
        checkpoints.close();
      } finally {
        entries.close();
      }
    }
  }

  @Override
  public String toString() {
    return "ProtocolLog["
        + dir
        + " study="
        + studyId
        + " key="
        + key.publicKey().fingerprint()
        + "]";
  }
}
