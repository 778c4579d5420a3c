package io.cleanroom.node.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A node's work folder, and what it holds of each study:
 *
 * <pre>
 * sessions/&lt;study&gt;/   the study's {@link SessionStore}: intermediate results, encrypted, destroyed
 *                      when the study ends
 * staging/&lt;study&gt;/    the outputs the bank is entitled to keep (risk, scores, model), while the
 *                      study runs; deleted if it aborts
 * outputs/&lt;study&gt;/    the same outputs once the study released them: what the bank keeps
 * node.lock            held by the node process using the folder
 * </pre>
 *
 * <p>{@link #open} takes the lock, so that one node process at a time uses the folder, and removes
 * whatever an earlier process left in {@code sessions/} and {@code staging/}: that process ended
 * without finishing its studies (it crashed or was killed), its session keys existed only in its
 * memory, so the session folders hold nothing but ciphertext nobody can decrypt, and staged outputs
 * of a study that never reached its release are not to be kept.
 */
public final class WorkFolder implements Closeable {

  private static final System.Logger LOG = System.getLogger(WorkFolder.class.getName());

  /** The sessions folder, under the work folder. */
  public static final String SESSIONS = "sessions";

  /** The folder of outputs waiting for their release, under the work folder. */
  public static final String STAGING = "staging";

  /** The folder of released outputs, under the work folder. */
  public static final String OUTPUTS = "outputs";

  /** The lock file, in the work folder. */
  public static final String LOCK = "node.lock";

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private WorkFolder(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens the work folder {@code root} (created if needed) for this process, and removes what an
   * earlier process left of unfinished studies.
   *
   * @throws IOException if another process uses the folder, or it cannot be prepared
   */
  public static WorkFolder open(Path root) throws IOException {
    Files.createDirectories(root);
    FileChannel channel =
        FileChannel.open(root.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(
          "work folder " + root + " is in use by another node process (" + LOCK + " is locked)");
    }
    WorkFolder work = new WorkFolder(root, channel, lock);
    try {
      for (String folder : List.of(SESSIONS, STAGING, OUTPUTS)) {
        Files.createDirectories(root.resolve(folder));
      }
      removeLeftovers(
          root.resolve(SESSIONS),
          "the session folder of study %s left by an earlier node process (its key was lost with"
              + " that process; the files were unreadable ciphertext)");
      removeLeftovers(
          root.resolve(STAGING),
          "the unreleased outputs of study %s left by an earlier node process");
    } catch (IOException | RuntimeException e) {
      work.closeAfter(e);
      throw e;
    }
    return work;
  }

  /** The work folder. */
  public Path root() {
    return root;
  }

  /** The folder under which every study's {@link SessionStore} is created. */
  public Path sessions() {
    return root.resolve(SESSIONS);
  }

  /** Where the outputs the bank keeps from study {@code studyId} wait for their release. */
  public Path staging(String studyId) {
    return root.resolve(STAGING).resolve(studyId);
  }

  /** Where the bank keeps the released outputs of study {@code studyId}. */
  public Path outputs(String studyId) {
    return root.resolve(OUTPUTS).resolve(studyId);
  }

  /**
   * Moves the staged outputs of study {@code studyId} to its outputs folder, in one rename, and
   * returns the files, relative to that folder, sorted; none if the study staged nothing.
   *
   * @throws FileAlreadyExistsException if the study's outputs folder exists already
   */
  public List<Path> release(String studyId) throws IOException {
    Path staged = staging(studyId);
    Path released = outputs(studyId);
    if (!Files.exists(staged)) {
      return List.of();
    }
    if (Files.exists(released)) {
      throw new FileAlreadyExistsException(
          released.toString(), null, "outputs of study " + studyId + " exist already");
    }
    Files.move(staged, released, StandardCopyOption.ATOMIC_MOVE);
    try (Stream<Path> files = Files.walk(released)) {
      return files.filter(Files::isRegularFile).map(released::relativize).sorted().toList();
    }
  }

  /**
   * Deletes the staged output folders {@code folders} of study {@code studyId} (top-level names,
   * e.g. {@code model}) so that they are never released; returns the files deleted, relative to the
   * staging folder, sorted.
   *
   * @throws IllegalArgumentException if a name is not a single path element
   */
  public List<Path> withhold(String studyId, List<String> folders) throws IOException {
    Path staged = staging(studyId);
    List<Path> deleted = new ArrayList<>();
    for (String name : folders) {
      if (!name.matches("[a-z0-9][a-z0-9_-]*")) {
        throw new IllegalArgumentException("\"" + name + "\" is not the name of an output folder");
      }
      Path folder = staged.resolve(name);
      if (Files.exists(folder)) {
        try (Stream<Path> files = Files.walk(folder)) {
          files.filter(Files::isRegularFile).map(staged::relativize).forEach(deleted::add);
        }
        delete(folder);
      }
    }
    deleted.sort(null);
    return deleted;
  }

  /** Deletes the staged outputs of study {@code studyId}, if any. */
  public void discard(String studyId) throws IOException {
    Path staged = staging(studyId);
    if (Files.exists(staged)) {
      delete(staged);
    }
  }

  /** Releases the lock and deletes the lock file. */
  @Override
  public void close() throws IOException {
    try {
      Files.deleteIfExists(root.resolve(LOCK));
    } finally {
      try {
        lock.release();
      } finally {
        lockChannel.close();
      }
    }
  }

  private void closeAfter(Exception failure) {
    try {
      close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Deletes everything in {@code dir}, logging each study's folder with {@code what}. */
  private static void removeLeftovers(Path dir, String what) throws IOException {
    List<Path> left;
    try (Stream<Path> s = Files.list(dir)) {
      left = s.sorted().toList();
    }
    for (Path study : left) {
      delete(study);
      LOG.log(System.Logger.Level.WARNING, "removed " + String.format(what, study.getFileName()));
    }
  }

  /** Deletes {@code path} and everything under it, without following symbolic links. */
  private static void delete(Path path) throws IOException {
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
