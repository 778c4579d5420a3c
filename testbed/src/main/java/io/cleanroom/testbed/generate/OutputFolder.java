package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Readies the folder a dataset is written to. A previous generated dataset there is removed first,
 * because a stale {@code bank-e} left over from a five-bank run would silently join a later
 * four-bank dataset; anything else there is refused rather than deleted, so a mistyped path costs
 * nothing.
 */
final class OutputFolder {
  static final String TRUTH = "truth.csv";
  private static final Pattern BANK_DIR = Pattern.compile("bank-[a-z]");

  private OutputFolder() {}

  /**
   * Creates {@code out}, or empties it if it holds only a generated dataset.
   *
   * @throws IllegalArgumentException if {@code out} is a file or holds anything else
   */
  static void prepare(Path out) throws IOException {
    if (!Files.exists(out)) {
      Files.createDirectories(out);
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IllegalArgumentException("out must be a directory: " + out);
    }
    List<Path> delete = new ArrayList<>();
    for (Path entry : list(out)) {
      String name = entry.getFileName().toString();
      if (name.equals(TRUTH) && Files.isRegularFile(entry)) {
        delete.add(entry);
      } else if (BANK_DIR.matcher(name).matches() && Files.isDirectory(entry)) {
        for (Path file : list(entry)) {
          if (!isBankFile(file)) {
            throw notADataset(file);
          }
          delete.add(file);
        }
        delete.add(entry);
      } else {
        throw notADataset(entry);
      }
    }
    // Files were added before their folder, so folders are empty when their turn comes.
    for (Path p : delete) {
      Files.delete(p);
    }
  }

  private static boolean isBankFile(Path file) {
    String name = file.getFileName().toString();
    for (BankFile f : BankFile.values()) {
      if (f.fileName().equals(name)) {
        return Files.isRegularFile(file);
      }
    }
    return false;
  }

  private static IllegalArgumentException notADataset(Path p) {
    return new IllegalArgumentException(
        "out must be empty or hold a generated dataset; refusing to overwrite it because of " + p);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
