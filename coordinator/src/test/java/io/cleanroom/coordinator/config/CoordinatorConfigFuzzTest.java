package io.cleanroom.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cleanroom.protocol.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arbitrary bytes as the coordinator's configuration file: a valid configuration, or a {@link
 * ConfigException} naming the file.
 */
class CoordinatorConfigFuzzTest {
  @TempDir Path dir;

  @FuzzTest(maxDuration = "60s")
  void load(byte[] yaml) throws IOException {
    Path file = dir.resolve("coordinator.yaml");
    Files.write(file, yaml);
    CoordinatorConfig.Resolved c;
    try {
      c = CoordinatorConfig.load(file);
    } catch (ConfigException e) {
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
      assertFalse(
          e.getMessage().contains("\n"), "a message of more than one line: " + e.getMessage());
      return;
    }
    assertNotNull(c.name());
    assertNotNull(c.listen());
    assertNotNull(c.tls());
    assertNotNull(c.records());
    assertNotNull(c.logKey());
    assertTrue(c.joinTimeoutSeconds() > 0);
  }
}
