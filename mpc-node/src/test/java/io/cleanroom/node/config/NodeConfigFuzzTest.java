package io.cleanroom.node.config;

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
 * Arbitrary bytes as a node's configuration file: a valid configuration, or a {@link
 * ConfigException} naming the file.
 */
class NodeConfigFuzzTest {
  @TempDir Path dir;

  @FuzzTest(maxDuration = "60s")
  void load(byte[] yaml) throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Path file = dir.resolve("node.yaml");
    Files.write(file, yaml);
    NodeConfig.Resolved c;
    try {
      c = NodeConfig.load(file);
    } catch (ConfigException e) {
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
      assertFalse(
          e.getMessage().contains("\n"), "a message of more than one line: " + e.getMessage());
      return;
    }
    assertNotNull(c.name());
    assertNotNull(c.listen());
    assertNotNull(c.coordinator());
    assertFalse(c.peerNames().isEmpty());
    assertFalse(c.peerNames().contains(c.name()));
    assertTrue(Files.isDirectory(c.data()));
    assertTrue(c.stepTimeoutSeconds() > 0);
  }
}
