package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank folder built from arbitrary bytes through {@link BankData#load}: the folder loads whole,
 * or is refused with a {@link DataException} naming one of its files.
 *
 * <p>The input holds the files one after another, each introduced by a line {@code ### NAME}, e.g.
 * {@code ### accounts.csv}; the bytes up to the next such line are the file's content, unchanged
 * (so invalid UTF-8 reaches the loader). Files the input does not name are absent.
 */
class BankLoaderFuzzTest {
  private static final String MARKER = "### ";
  private static final Set<String> FILES =
      Set.of("customers.csv", "accounts.csv", "devices.csv", "transactions.csv", "alerts.csv");

  // Shared by all executions of a fuzzing run, so each execution first removes the last one's
  // files.
  @TempDir Path dir;

  @FuzzTest(maxDuration = "60s")
  void load(byte[] input) throws IOException {
    writeFiles(new String(input, StandardCharsets.ISO_8859_1));
    BankData data;
    try {
      data = BankData.load(dir, "bank-a");
    } catch (DataException e) {
      assertTrue(e.file().startsWith("bank-a/"), e.getMessage());
      assertTrue(FILES.contains(e.file().substring("bank-a/".length())), e.getMessage());
      assertTrue(e.getMessage().startsWith(e.file()), e.getMessage());
      assertFalse(e.errors().isEmpty(), e.getMessage());
      assertTrue(e.errors().size() <= 1 + e.moreErrors(), e.getMessage());
      return;
    }
    assertEquals("bank-a", data.bankId());
    assertEquals(64, data.digest().length());
  }

  private void writeFiles(String input) throws IOException {
    for (String name : FILES) {
      Files.deleteIfExists(dir.resolve(name));
    }
    String[] parts = ("\n" + input).split("\n" + MARKER, -1);
    for (int i = 1; i < parts.length; i++) {
      int eol = parts[i].indexOf('\n');
      String name = eol < 0 ? parts[i] : parts[i].substring(0, eol);
      if (FILES.contains(name)) {
        byte[] content =
            (eol < 0 ? "" : parts[i].substring(eol + 1)).getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve(name), content);
      }
    }
  }
}
