package io.cleanroom.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

  @TempDir Path dir;

  private static final String GOOD =
      """
      name: bank-a
      listen: 127.0.0.1:7101
      tls: pki/bank-a
      coordinator: {name: coordinator, address: 127.0.0.1:7100}
      peers:
        - {name: bank-b, address: "[::1]:7102"}
      data: data
      work: work
      """;

  private Path write(String yaml) throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void validFile_resolvesPathsAndAddresses() throws Exception {
    NodeConfig.Resolved c = NodeConfig.load(write(GOOD));
    assertEquals("bank-a", c.name());
    assertEquals(7101, c.listen().port());
    assertEquals(dir.resolve("pki/bank-a"), c.tls());
    assertEquals("::1", c.peer("bank-b").host());
    assertEquals(600, c.stepTimeoutSeconds());
  }

  @Test
  void unknownKey_isNamedWithItsLine() throws Exception {
    ConfigException e =
        assertThrows(ConfigException.class, () -> NodeConfig.load(write(GOOD + "colour: red\n")));
    assertTrue(e.getMessage().contains("node.yaml line 9"), e.getMessage());
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
  }

  @Test
  void badPeerAddress_namesTheKey() throws Exception {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.load(write(GOOD.replace("\"[::1]:7102\"", "bank-b.example"))));
    assertTrue(e.getMessage().contains("key peers[0].address"), e.getMessage());
    assertTrue(e.getMessage().contains("is not host:port"), e.getMessage());
  }

  @Test
  void missingDataFolder_isNamed() throws Exception {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.load(write(GOOD.replace("data: data", "data: nowhere"))));
    assertTrue(e.getMessage().contains("key data: folder"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void nodeListedAsItsOwnPeer_isRefused() throws Exception {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.load(write(GOOD.replace("name: bank-b", "name: bank-a"))));
    assertTrue(e.getMessage().contains("a node is not its own peer"), e.getMessage());
  }

  @Test
  void missingFile_isNamed() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> NodeConfig.load(dir.resolve("none.yaml")));
    assertTrue(e.getMessage().contains("none.yaml does not exist"), e.getMessage());
  }
}
