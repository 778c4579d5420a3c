package io.cleanroom.node.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.cleanroom.node.data.BankFile;
import io.cleanroom.node.data.JdbcSource;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.config.YamlConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A bank node's configuration file, e.g.
 *
 * <pre>
 * name: bank-a                  # must equal the CN of the node's certificate
 * listen: 0.0.0.0:7101          # where other nodes reach this node
 * tls: pki/bank-a               # folder with tls.crt, tls.key and the consortium's ca.crt
 * coordinator: {name: coordinator, address: coordinator.example:7100}
 * peers:
 *   - {name: bank-b, address: bank-b.example:7101}
 * data: /srv/cleanroom/data     # this bank's input folder (customers.csv, accounts.csv, ...),
 *                               # or a database, see {@link Jdbc}:
 *                               # data: {jdbc: {url: ..., user: ..., password-file: ...}}
 * work: /srv/cleanroom/work     # session store and outputs of studies
 * step-timeout-seconds: 600     # optional: longest wait for one protocol message
 * transcripts: /srv/audit/bank-a  # optional: record every message received, raw
 * faults: {peer: bank-b, delay-ms: 200, drop-after: 50}  # for testing only, see {@link Faults}
 * </pre>
 *
 * Relative paths are resolved against the folder of the configuration file.
 */
public record NodeConfig(
    String name,
    String listen,
    String tls,
    Peer coordinator,
    List<Peer> peers,
    Data data,
    String work,
    Integer stepTimeoutSeconds,
    String transcripts,
    Faults faults) {

  /** A configuration reading its data from the CSV folder {@code data}, without injected faults. */
  public NodeConfig(
      String name,
      String listen,
      String tls,
      Peer coordinator,
      List<Peer> peers,
      String data,
      String work,
      Integer stepTimeoutSeconds,
      String transcripts) {
    this(
        name,
        listen,
        tls,
        coordinator,
        peers,
        Data.folder(data),
        work,
        stepTimeoutSeconds,
        transcripts,
        null);
  }

  /**
   * Where the bank's tables come from: a CSV folder, written as a plain string ({@code data:
   * /srv/cleanroom/data}), or a database, written as {@code data: {jdbc: {...}}}.
   *
   * @param folder the CSV folder, or {@code null}
   * @param jdbc the database, or {@code null}
   */
  public record Data(String folder, Jdbc jdbc) {
    /** The folder form. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Data folder(String folder) {
      return new Data(folder, null);
    }

    /** The database form. */
    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static Data database(@JsonProperty("jdbc") Jdbc jdbc) {
      return new Data(null, jdbc);
    }

    /** How the section is written: the folder as a plain string, or {@code {jdbc: {...}}}. */
    @JsonValue
    Object written() {
      return folder != null ? folder : Map.of("jdbc", jdbc);
    }
  }

  /**
   * The {@code data.jdbc} section: the bank's tables in a database, read by a read-only user.
   *
   * <pre>
   * data:
   *   jdbc:
   *     url: jdbc:postgresql://db.bank-a.internal:5432/aml
   *     user: cleanroom_reader
   *     password-file: secrets/db-password   # or password-env: VARIABLE; never the password itself
   *     schema: cleanroom                    # optional: the connection's current schema
   *     tables: {transactions: txn_export}   # optional: tables not named as the CSV files
   * </pre>
   *
   * The password file holds the password on its first line (a trailing line break is ignored);
   * relative paths are resolved like every other path of the file.
   *
   * @param password only to refuse a password written into the configuration
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Jdbc(
      String url,
      String user,
      String passwordFile,
      String passwordEnv,
      String password,
      String schema,
      Map<String, String> tables) {

    /** A database section with the password in a file or an environment variable. */
    public Jdbc(
        String url,
        String user,
        String passwordFile,
        String passwordEnv,
        String schema,
        Map<String, String> tables) {
      this(url, user, passwordFile, passwordEnv, null, schema, tables);
    }
  }

  /** Another party this node connects to. */
  public record Peer(String name, String address) {}

  /**
   * For testing only: faults injected into this node's outgoing messages on one channel, to
   * exercise how a study copes with a slow or silent channel. Never set in production.
   *
   * @param peer the channel: a peer, whose share-exchange batches are affected, or the coordinator
   *     (its name), whose control messages after the session's hello are affected (joins, step and
   *     progress reports, receipts, aborts)
   * @param delayMs wait this long before sending each batch or message; null or 0 for none
   * @param dropAfter send the first {@code dropAfter} batches or messages and silently drop every
   *     later one; null for none
   */
  public record Faults(String peer, Integer delayMs, Integer dropAfter) {}

  /**
   * A validated configuration, with paths resolved and addresses parsed. Exactly one of {@code
   * data} (a CSV folder) and {@code jdbc} (a database, password read) is set.
   */
  public record Resolved(
      String name,
      Endpoint listen,
      Path tls,
      String coordinatorName,
      Endpoint coordinator,
      List<String> peerNames,
      List<Endpoint> peerAddresses,
      Path data,
      Path work,
      int stepTimeoutSeconds,
      Path transcripts,
      Faults faults,
      JdbcSource jdbc) {

    /**
     * A resolved configuration reading the CSV folder {@code data}, without injected faults.
     *
     * @param data the bank's CSV folder
     */
    public Resolved(
        String name,
        Endpoint listen,
        Path tls,
        String coordinatorName,
        Endpoint coordinator,
        List<String> peerNames,
        List<Endpoint> peerAddresses,
        Path data,
        Path work,
        int stepTimeoutSeconds,
        Path transcripts) {
      this(
          name,
          listen,
          tls,
          coordinatorName,
          coordinator,
          peerNames,
          peerAddresses,
          data,
          work,
          stepTimeoutSeconds,
          transcripts,
          null,
          null);
    }

    /** The address of peer {@code name}, or null if this node does not know it. */
    public Endpoint peer(String name) {
      int i = peerNames.indexOf(name);
      return i < 0 ? null : peerAddresses.get(i);
    }
  }

  /** Reads and validates a node configuration file. */
  public static Resolved load(Path file) throws ConfigException {
    NodeConfig c = YamlConfig.read(file, NodeConfig.class);
    YamlConfig.require(c.name != null, file, "name", "missing");
    YamlConfig.require(
        c.name.matches("[a-z0-9][a-z0-9-]{0,62}"),
        file,
        "name",
        "\"" + c.name + "\" is not a bank id (lower-case letters, digits and -)");
    Endpoint listen = endpoint(file, "listen", c.listen);
    YamlConfig.require(
        c.tls != null, file, "tls", "missing (folder with tls.crt, tls.key, ca.crt)");
    YamlConfig.require(
        c.coordinator != null && c.coordinator.name != null, file, "coordinator.name", "missing");
    Endpoint coord = endpoint(file, "coordinator.address", c.coordinator.address);
    YamlConfig.require(c.peers != null && !c.peers.isEmpty(), file, "peers", "no peers listed");
    Set<String> seen = new HashSet<>();
    List<String> names = new ArrayList<>();
    List<Endpoint> addrs = new ArrayList<>();
    for (int i = 0; i < c.peers.size(); i++) {
      Peer p = c.peers.get(i);
      String key = "peers[" + i + "]";
      YamlConfig.require(p != null && p.name != null, file, key + ".name", "missing");
      YamlConfig.require(!p.name.equals(c.name), file, key + ".name", "a node is not its own peer");
      YamlConfig.require(seen.add(p.name), file, key + ".name", "duplicate peer " + p.name);
      names.add(p.name);
      addrs.add(endpoint(file, key + ".address", p.address));
    }
    YamlConfig.require(
        c.data != null && (c.data.folder != null || c.data.jdbc != null),
        file,
        "data",
        "missing (this bank's input folder, or a jdbc section)");
    Path data = null;
    JdbcSource jdbc = null;
    if (c.data.folder != null) {
      data = YamlConfig.path(file, "data", c.data.folder);
      YamlConfig.require(
          Files.isDirectory(data), file, "data", "folder " + data + " does not exist");
    } else {
      jdbc = jdbc(file, c.data.jdbc, System::getenv);
    }
    YamlConfig.require(c.work != null, file, "work", "missing (folder for study files)");
    int timeout = c.stepTimeoutSeconds == null ? 600 : c.stepTimeoutSeconds;
    YamlConfig.require(timeout > 0, file, "step-timeout-seconds", "must be positive");
    Faults f = c.faults;
    if (f != null) {
      YamlConfig.require(
          f.peer != null && (names.contains(f.peer) || f.peer.equals(c.coordinator.name)),
          file,
          "faults.peer",
          "neither a listed peer nor the coordinator");
      YamlConfig.require(
          f.delayMs == null || f.delayMs >= 0, file, "faults.delay-ms", "must not be negative");
      YamlConfig.require(
          f.dropAfter == null || f.dropAfter >= 0,
          file,
          "faults.drop-after",
          "must not be negative");
    }
    return new Resolved(
        c.name,
        listen,
        YamlConfig.path(file, "tls", c.tls),
        c.coordinator.name,
        coord,
        List.copyOf(names),
        List.copyOf(addrs),
        data,
        YamlConfig.path(file, "work", c.work),
        timeout,
        c.transcripts == null ? null : YamlConfig.path(file, "transcripts", c.transcripts),
        f,
        jdbc);
  }

  /**
   * Checks the {@code data.jdbc} section of {@code file} and reads the password.
   *
   * @param environment looks up environment variables
   */
  static JdbcSource jdbc(Path file, Jdbc j, UnaryOperator<String> environment)
      throws ConfigException {
    String key = "data.jdbc";
    YamlConfig.require(j.url != null && !j.url.isBlank(), file, key + ".url", "missing");
    YamlConfig.require(
        j.url.startsWith("jdbc:"),
        file,
        key + ".url",
        "not a JDBC URL (jdbc:postgresql://host:port/database)");
    YamlConfig.require(
        !j.url.toLowerCase(Locale.ROOT).contains("password="),
        file,
        key + ".url",
        "holds a password; give it in password-file or password-env instead");
    try {
      DriverManager.getDriver(j.url);
    } catch (SQLException e) {
      throw new ConfigException(
          file
              + ", key "
              + key
              + ".url: no JDBC driver on the class path accepts this URL (the node ships"
              + " PostgreSQL's: jdbc:postgresql://host:port/database)");
    }
    YamlConfig.require(j.user != null && !j.user.isBlank(), file, key + ".user", "missing");
    YamlConfig.require(
        j.password == null,
        file,
        key + ".password",
        "a password must not be written into the configuration; give password-file or"
            + " password-env instead");
    YamlConfig.require(
        j.passwordFile == null || j.passwordEnv == null,
        file,
        key + ".password-file",
        "give either password-file or password-env, not both");
    String password = null;
    if (j.passwordFile != null) {
      Path p = YamlConfig.path(file, key + ".password-file", j.passwordFile);
      try {
        password = Files.readString(p, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(
            file + ", key " + key + ".password-file: cannot read " + p + ": " + e, e);
      }
      password = password.replaceFirst("\\R+\\z", "");
      YamlConfig.require(
          !password.isEmpty() && password.lines().count() == 1,
          file,
          key + ".password-file",
          p + " must hold the password on one line");
    } else if (j.passwordEnv != null) {
      password = environment.apply(j.passwordEnv);
      YamlConfig.require(
          password != null && !password.isEmpty(),
          file,
          key + ".password-env",
          "environment variable " + j.passwordEnv + " is not set");
    }
    YamlConfig.require(
        j.schema == null || !j.schema.isBlank(), file, key + ".schema", "must not be empty");
    Map<BankFile, String> tables = new EnumMap<>(BankFile.class);
    if (j.tables != null) {
      for (Map.Entry<String, String> e : j.tables.entrySet()) {
        BankFile table = null;
        for (BankFile b : BankFile.values()) {
          if (b.tableName().equals(e.getKey())) {
            table = b;
          }
        }
        YamlConfig.require(
            table != null,
            file,
            key + ".tables." + e.getKey(),
            "not a table of the data format (customers, accounts, devices, transactions, alerts)");
        YamlConfig.require(
            e.getValue() != null && !e.getValue().isBlank(),
            file,
            key + ".tables." + e.getKey(),
            "table name missing");
        tables.put(table, e.getValue());
      }
    }
    return new JdbcSource(j.url, j.user, password, j.schema, tables);
  }

  private static Endpoint endpoint(Path file, String key, String value) throws ConfigException {
    try {
      return Endpoint.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ", key " + key + ": " + e.getMessage());
    }
  }
}
