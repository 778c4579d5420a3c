package io.cleanroom.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.data.BankFile;
import io.cleanroom.node.data.JdbcSource;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.config.YamlConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code data: {jdbc: ...}} form of a node's configuration. */
class NodeConfigJdbcTest {
  @TempDir Path dir;

  private static final String HEAD =
      """
      name: bank-a
      listen: 127.0.0.1:7101
      tls: pki/bank-a
      coordinator: {name: coordinator, address: 127.0.0.1:7100}
      peers:
        - {name: bank-b, address: 127.0.0.1:7102}
      work: work
      """;

  private Path write(String data) throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db-password"), "pa:ss word\n");
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, HEAD + data);
    return f;
  }

  private ConfigException fails(String data) throws Exception {
    Path f = write(data);
    return assertThrows(ConfigException.class, () -> NodeConfig.load(f));
  }

  @Test
  void jdbcSection_isResolvedWithThePasswordFromItsFile() throws Exception {
    NodeConfig.Resolved c =
        NodeConfig.load(
            write(
                """
                data:
                  jdbc:
                    url: jdbc:postgresql://db.bank-a.internal:5432/aml
                    user: cleanroom_reader
                    password-file: secrets/db-password
                    schema: cleanroom
                    tables: {transactions: txn_export}
                """));
    assertNull(c.data());
    JdbcSource s = c.jdbc();
    assertEquals("jdbc:postgresql://db.bank-a.internal:5432/aml", s.url());
    assertEquals("cleanroom_reader", s.user());
    assertEquals("pa:ss word", s.password());
    assertEquals("cleanroom", s.schema());
    assertEquals("txn_export", s.table(BankFile.TRANSACTIONS));
    assertEquals("accounts", s.table(BankFile.ACCOUNTS));
  }

  @Test
  void folderForm_isUnchanged() throws Exception {
    Files.createDirectories(dir.resolve("in"));
    NodeConfig.Resolved c = NodeConfig.load(write("data: in\n"));
    assertEquals(dir.resolve("in"), c.data());
    assertNull(c.jdbc());
  }

  @Test
  void passwordFromEnvironment() throws Exception {
    NodeConfig.Jdbc j =
        new NodeConfig.Jdbc("jdbc:postgresql://h/d", "u", null, "DB_PASSWORD", null, null);
    JdbcSource s =
        NodeConfig.jdbc(dir.resolve("node.yaml"), j, v -> v.equals("DB_PASSWORD") ? "pw" : null);
    assertEquals("pw", s.password());
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> NodeConfig.jdbc(dir.resolve("node.yaml"), j, v -> null));
    assertEquals(
        dir.resolve("node.yaml")
            + ", key data.jdbc.password-env: environment variable DB_PASSWORD is not set",
        e.getMessage());
  }

  @Test
  void writtenConfiguration_readsBackTheSame() throws Exception {
    Path f = dir.resolve("written.yaml");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db-password"), "pw");
    NodeConfig written =
        new NodeConfig(
            "bank-a",
            "127.0.0.1:7101",
            "pki",
            new NodeConfig.Peer("coordinator", "127.0.0.1:7100"),
            List.of(new NodeConfig.Peer("bank-b", "127.0.0.1:7102")),
            NodeConfig.Data.database(
                new NodeConfig.Jdbc(
                    "jdbc:postgresql://h:5432/d",
                    "reader",
                    "secrets/db-password",
                    null,
                    "bank_a",
                    Map.of("alerts", "flags"))),
            "work",
            null,
            null,
            null);
    YamlConfig.mapper().writeValue(f.toFile(), written);
    JdbcSource s = NodeConfig.load(f).jdbc();
    assertEquals(
        new JdbcSource(
            "jdbc:postgresql://h:5432/d",
            "reader",
            "pw",
            "bank_a",
            Map.of(BankFile.ALERTS, "flags")),
        s);
  }

  // --- Bad sections, each named by key ---

  @Test
  void inlinePassword_isRefused() throws Exception {
    ConfigException e =
        fails("data: {jdbc: {url: 'jdbc:postgresql://h/d', user: u, password: hunter2}}\n");
    assertTrue(e.getMessage().contains("key data.jdbc.password: "), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void passwordInUrl_isRefused() throws Exception {
    ConfigException e =
        fails("data: {jdbc: {url: 'jdbc:postgresql://h/d?password=hunter2', user: u}}\n");
    assertTrue(e.getMessage().contains("key data.jdbc.url: holds a password"), e.getMessage());
  }

  @Test
  void missingUrlOrUser_isNamed() throws Exception {
    assertTrue(
        fails("data: {jdbc: {user: u}}\n").getMessage().contains("key data.jdbc.url: missing"));
    assertTrue(
        fails("data: {jdbc: {url: 'jdbc:postgresql://h/d'}}\n")
            .getMessage()
            .contains("key data.jdbc.user: missing"));
  }

  @Test
  void urlWithoutDriver_isNamed() throws Exception {
    assertTrue(
        fails("data: {jdbc: {url: 'postgresql://h/d', user: u}}\n")
            .getMessage()
            .contains("key data.jdbc.url: not a JDBC URL"));
    assertTrue(
        fails("data: {jdbc: {url: 'jdbc:oracle:thin:@h:1521/d', user: u}}\n")
            .getMessage()
            .contains("key data.jdbc.url: no JDBC driver on the class path accepts this URL"));
  }

  @Test
  void passwordFileAndEnvironment_together_areRefused() throws Exception {
    ConfigException e =
        fails(
            "data: {jdbc: {url: 'jdbc:postgresql://h/d', user: u, password-file: secrets/db-password,"
                + " password-env: X}}\n");
    assertTrue(e.getMessage().contains("key data.jdbc.password-file: give either"), e.getMessage());
  }

  @Test
  void missingPasswordFile_isNamed() throws Exception {
    ConfigException e =
        fails("data: {jdbc: {url: 'jdbc:postgresql://h/d', user: u, password-file: nope}}\n");
    assertTrue(
        e.getMessage().contains("key data.jdbc.password-file: cannot read " + dir.resolve("nope")),
        e.getMessage());
  }

  @Test
  void unknownTable_isNamed() throws Exception {
    ConfigException e =
        fails("data: {jdbc: {url: 'jdbc:postgresql://h/d', user: u, tables: {txns: t}}}\n");
    assertTrue(
        e.getMessage().contains("key data.jdbc.tables.txns: not a table of the data format"),
        e.getMessage());
  }

  @Test
  void unknownKey_isNamed() throws Exception {
    ConfigException e = fails("data: {jdbc: {url: 'jdbc:postgresql://h/d', user: u, host: h}}\n");
    assertTrue(e.getMessage().contains("unknown key \"host\""), e.getMessage());
    assertTrue(e.getMessage().contains("key data.jdbc"), e.getMessage());
  }

  @Test
  void emptyDataSection_isNamed() throws Exception {
    ConfigException e = fails("data: {}\n");
    assertTrue(e.getMessage().contains("key data: missing"), e.getMessage());
  }
}
