package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  @TempDir Path temp;

  private Path archive(String name, String... entries) throws IOException {
    Path a = temp.resolve(name + ".tar.gz");
    try (OutputStream out = Files.newOutputStream(a);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
      for (String e : entries) {
        byte[] body = e.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e);
        entry.setSize(body.length);
        tar.putArchiveEntry(entry);
        tar.write(body);
        tar.closeArchiveEntry();
      }
    }
    return a;
  }

  @Test
  void archiveOfTheDataset_isUnpackedNextToIt() throws IOException {
    archive("ds", "ds/bank-a/accounts.csv", "ds/README.md");
    Path data = Datasets.resolve(temp.resolve("ds"));
    assertTrue(Files.exists(data.resolve("bank-a").resolve("accounts.csv")));
  }

  @Test
  void entryOutsideTheDatasetFolder_refusesTheArchiveBeforeWritingAnything() throws IOException {
    archive("ds", "ds/bank-a/accounts.csv", "README.md");
    IOException e = assertThrows(IOException.class, () -> Datasets.resolve(temp.resolve("ds")));
    assertTrue(e.getMessage().contains("entry README.md is outside"), e.getMessage());
    assertFalse(Files.exists(temp.resolve("README.md")));
    assertFalse(Files.exists(temp.resolve("ds")));
  }

  @Test
  void entryClimbingOut_isRefused() throws IOException {
    Path a = archive("evil", "../escape.txt");
    assertThrows(IOException.class, () -> Datasets.unpack(a, temp.resolve("into")));
    assertFalse(Files.exists(temp.resolve("escape.txt")));
  }
}
