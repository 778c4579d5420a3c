package io.cleanroom.testbed.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Datasets shipped as {@code NAME.tar.gz} and unpacked on first use. */
public final class Datasets {
  private Datasets() {}

  /**
   * The dataset folder {@code data}; when it does not exist but {@code data.tar.gz} does, unpacks
   * the archive next to it first.
   */
  public static Path resolve(Path data) throws IOException {
    if (Files.isDirectory(data)) {
      return data;
    }
    Path archive = data.resolveSibling(data.getFileName() + ".tar.gz");
    if (!Files.isRegularFile(archive)) {
      return data;
    }
    Path parent = data.toAbsolutePath().getParent();
    unpack(archive, parent, parent.resolve(data.getFileName()));
    return data;
  }

  /** Unpacks a .tar.gz into {@code into}, refusing entries that would land outside it. */
  public static void unpack(Path archive, Path into) throws IOException {
    unpack(archive, into, into);
  }

  /**
   * Unpacks a .tar.gz into {@code into}, refusing the whole archive, before writing anything, if an
   * entry would land outside {@code within} (a folder inside {@code into}).
   */
  private static void unpack(Path archive, Path into, Path within) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    Path allowed = within.toAbsolutePath().normalize();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(allowed)) {
          throw new IOException(archive + ": entry " + e.getName() + " is outside " + allowed);
        }
      }
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(raw))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path target = root.resolve(e.getName()).normalize();
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
