package io.cleanroom.coordinator.log;

import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.log.LogSigningKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files holding the coordinator's log keys: the Ed25519 private key as a PEM {@code PRIVATE KEY}
 * (PKCS#8) readable by its owner only, and public keys as PEM {@code PUBLIC KEY}.
 */
public final class LogKeys {
  private static final System.Logger LOG = System.getLogger(LogKeys.class.getName());

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private LogKeys() {}

  /**
   * The signing key in {@code file}; if there is no such file, a new key drawn from a fresh {@link
   * SecureRandom}, stored there first (owner-only permissions where the file system supports POSIX
   * permissions).
   */
  public static LogSigningKey loadOrCreate(Path file) throws IOException {
    return loadOrCreate(file, new SecureRandom());
  }

  /** {@link #loadOrCreate(Path)} with the randomness for a new key given. */
  public static LogSigningKey loadOrCreate(Path file, SecureRandom random) throws IOException {
    if (Files.exists(file)) {
      return load(file);
    }
    LogSigningKey key = LogSigningKey.generate(random);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = parent.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      try {
        Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (UnsupportedOperationException e) {
        Files.createFile(temp);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer pem = ByteBuffer.wrap(key.toPem().getBytes(StandardCharsets.US_ASCII));
        while (pem.hasRemaining()) {
          channel.write(pem);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        return load(file); // created concurrently, on a platform that does not replace: use it
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    RecordFile.syncDirectory(parent);
    LOG.log(
        System.Logger.Level.INFO,
        "created protocol log signing key " + key.publicKey().fingerprint() + " in " + file);
    return key;
  }

  /** The signing key in {@code file}; warns when others than the owner may read it. */
  public static LogSigningKey load(Path file) throws IOException {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException("missing protocol log signing key file: " + file, e);
    }
    warnIfShared(file);
    try {
      return LogSigningKey.fromPem(pem);
    } catch (LogException e) {
      throw new IOException(file + ": not a protocol log signing key: " + e.getMessage(), e);
    }
  }

  /** The public key in PEM file {@code file}. */
  public static LogPublicKey readPublicKey(Path file) throws IOException {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException("missing protocol log public key file: " + file, e);
    }
    try {
      return LogPublicKey.fromPem(pem);
    } catch (LogException e) {
      throw new IOException(file + ": not a protocol log public key: " + e.getMessage(), e);
    }
  }

  /** Writes {@code key} to {@code file} as PEM, durably and atomically. */
  public static void writePublicKey(Path file, LogPublicKey key) throws IOException {
    RecordFile.writeAtomically(file, key.toPem().getBytes(StandardCharsets.US_ASCII));
  }

  private static void warnIfShared(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      return;
    }
    if (!OWNER_ONLY.containsAll(permissions)) {
      LOG.log(
          System.Logger.Level.WARNING,
          file
              + " has permissions "
              + PosixFilePermissions.toString(permissions)
              + ": a signing key should be readable by its owner only (chmod 600)");
    }
  }
}
