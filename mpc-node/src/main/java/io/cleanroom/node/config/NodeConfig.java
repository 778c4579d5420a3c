package io.cleanroom.node.config;

import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.config.YamlConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * data: /srv/cleanroom/data     # this bank's input folder (customers.csv, accounts.csv, ...)
 * work: /srv/cleanroom/work     # session store and outputs of studies
 * step-timeout-seconds: 600     # optional: longest wait for one protocol message
 * transcripts: /srv/audit/bank-a  # optional: record every message received, raw
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
    String data,
    String work,
    Integer stepTimeoutSeconds,
    String transcripts) {

  /** Another party this node connects to. */
  public record Peer(String name, String address) {}

  /** A validated configuration, with paths resolved and addresses parsed. */
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
      Path transcripts) {

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
    YamlConfig.require(c.data != null, file, "data", "missing (this bank's input folder)");
    Path data = YamlConfig.path(file, "data", c.data);
    YamlConfig.require(Files.isDirectory(data), file, "data", "folder " + data + " does not exist");
    YamlConfig.require(c.work != null, file, "work", "missing (folder for study files)");
    int timeout = c.stepTimeoutSeconds == null ? 600 : c.stepTimeoutSeconds;
    YamlConfig.require(timeout > 0, file, "step-timeout-seconds", "must be positive");
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
        c.transcripts == null ? null : YamlConfig.path(file, "transcripts", c.transcripts));
  }

  private static Endpoint endpoint(Path file, String key, String value) throws ConfigException {
    try {
      return Endpoint.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ", key " + key + ": " + e.getMessage());
    }
  }
}
