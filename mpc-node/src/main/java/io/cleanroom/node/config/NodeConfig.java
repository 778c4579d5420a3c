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
    String data,
    String work,
    Integer stepTimeoutSeconds,
    String transcripts,
    Faults faults) {

  /** A configuration without injected faults. */
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
    this(name, listen, tls, coordinator, peers, data, work, stepTimeoutSeconds, transcripts, null);
  }

  /** Another party this node connects to. */
  public record Peer(String name, String address) {}

  /**
   * For testing only: faults injected into this node's outgoing share-exchange messages to one
   * peer, to exercise how a study copes with a slow or silent channel. Never set in production.
   *
   * @param peer the peer whose messages are affected
   * @param delayMs wait this long before sending each batch to the peer; null or 0 for none
   * @param dropAfter send the first {@code dropAfter} batches to the peer and silently drop every
   *     later one; null for none
   */
  public record Faults(String peer, Integer delayMs, Integer dropAfter) {}

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
      Path transcripts,
      Faults faults) {

    /** A resolved configuration without injected faults. */
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
    YamlConfig.require(c.data != null, file, "data", "missing (this bank's input folder)");
    Path data = YamlConfig.path(file, "data", c.data);
    YamlConfig.require(Files.isDirectory(data), file, "data", "folder " + data + " does not exist");
    YamlConfig.require(c.work != null, file, "work", "missing (folder for study files)");
    int timeout = c.stepTimeoutSeconds == null ? 600 : c.stepTimeoutSeconds;
    YamlConfig.require(timeout > 0, file, "step-timeout-seconds", "must be positive");
    Faults f = c.faults;
    if (f != null) {
      YamlConfig.require(
          f.peer != null && names.contains(f.peer), file, "faults.peer", "not a listed peer");
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
        f);
  }

  private static Endpoint endpoint(Path file, String key, String value) throws ConfigException {
    try {
      return Endpoint.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ", key " + key + ": " + e.getMessage());
    }
  }
}
