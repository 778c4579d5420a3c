package io.cleanroom.coordinator.config;

import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.config.YamlConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The coordinator's configuration file, e.g.
 *
 * <pre>
 * name: coordinator             # must equal the CN of the coordinator's certificate
 * listen: 0.0.0.0:7100          # nodes and operators connect here
 * tls: pki/coordinator          # folder with tls.crt, tls.key and the consortium's ca.crt
 * join-timeout-seconds: 60      # optional: how long a study waits for its participants
 * records: /srv/cleanroom/records  # what the coordinator keeps per study (default: records)
 * log-key: /srv/cleanroom/log-key.pem  # Ed25519 key signing the protocol logs' checkpoints;
 *                               # created on first use (default: log-signing-key.pem in records)
 * transcripts: /srv/audit/coordinator  # optional: record every message received, raw
 * console:                      # optional: the read-only web console and /metrics
 *   listen: 127.0.0.1:8443      # its own port (0: any free port)
 *   tls: true                   # HTTPS with the coordinator's certificate; required unless
 *                               # listen is a loopback address
 *   require-client-certificate: false  # optional: only consortium certificates may connect
 * </pre>
 *
 * Relative paths are resolved against the folder of the configuration file.
 */
public record CoordinatorConfig(
    String name,
    String listen,
    String tls,
    Integer joinTimeoutSeconds,
    String records,
    String logKey,
    String transcripts,
    Console console) {

  /** A configuration without a console. */
  public CoordinatorConfig(
      String name,
      String listen,
      String tls,
      Integer joinTimeoutSeconds,
      String records,
      String logKey,
      String transcripts) {
    this(name, listen, tls, joinTimeoutSeconds, records, logKey, transcripts, null);
  }

  /** The {@code console} section as written. */
  public record Console(String listen, Boolean tls, Boolean requireClientCertificate) {}

  /**
   * The validated {@code console} section.
   *
   * @param listen where the console listens
   * @param tls whether it serves HTTPS with the coordinator's certificate (always, unless {@code
   *     listen} is a loopback address)
   * @param requireClientCertificate whether browsers must present a certificate of the consortium
   */
  public record ConsoleSettings(Endpoint listen, boolean tls, boolean requireClientCertificate) {

    /**
     * Checks the rule that a console reachable from other machines is served over TLS.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public ConsoleSettings {
      if (!tls && !isLoopback(listen.host())) {
        throw new IllegalArgumentException(
            "listen "
                + listen
                + " is not a loopback address, so the console must be served over TLS (tls: true)");
      }
      if (requireClientCertificate && !tls) {
        throw new IllegalArgumentException("a client certificate can only be required with TLS");
      }
    }

    /**
     * Whether {@code host} is a loopback address: {@code localhost}, 127.0.0.0/8 or ::1, without a
     * name lookup.
     */
    public static boolean isLoopback(String host) {
      if (host.equalsIgnoreCase("localhost")) {
        return true;
      }
      if (!host.contains(":") && !host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
        return false; // a name other than localhost: it may resolve to anything
      }
      try {
        return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }

  /** A validated configuration. */
  public record Resolved(
      String name,
      Endpoint listen,
      Path tls,
      int joinTimeoutSeconds,
      Path records,
      Path logKey,
      Path transcripts,
      ConsoleSettings console) {

    /** A configuration without a console. */
    public Resolved(
        String name,
        Endpoint listen,
        Path tls,
        int joinTimeoutSeconds,
        Path records,
        Path logKey,
        Path transcripts) {
      this(name, listen, tls, joinTimeoutSeconds, records, logKey, transcripts, null);
    }
  }

  public static Resolved load(Path file) throws ConfigException {
    CoordinatorConfig c = YamlConfig.read(file, CoordinatorConfig.class);
    YamlConfig.require(c.name != null, file, "name", "missing");
    Endpoint listen;
    try {
      listen = Endpoint.parse(c.listen);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ", key listen: " + e.getMessage());
    }
    YamlConfig.require(
        c.tls != null, file, "tls", "missing (folder with tls.crt, tls.key, ca.crt)");
    int join = c.joinTimeoutSeconds == null ? 60 : c.joinTimeoutSeconds;
    YamlConfig.require(join > 0, file, "join-timeout-seconds", "must be positive");
    Path records = YamlConfig.path(file, "records", c.records == null ? "records" : c.records);
    return new Resolved(
        c.name,
        listen,
        YamlConfig.path(file, "tls", c.tls),
        join,
        records,
        c.logKey == null
            ? records.resolve("log-signing-key.pem")
            : YamlConfig.path(file, "log-key", c.logKey),
        c.transcripts == null ? null : YamlConfig.path(file, "transcripts", c.transcripts),
        console(file, c.console));
  }

  private static ConsoleSettings console(Path file, Console c) throws ConfigException {
    if (c == null) {
      return null;
    }
    Endpoint listen;
    try {
      listen = Endpoint.parse(c.listen);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ", key console.listen: " + e.getMessage());
    }
    boolean tls = c.tls != null && c.tls;
    boolean clientCertificate = c.requireClientCertificate != null && c.requireClientCertificate;
    try {
      return new ConsoleSettings(listen, tls, clientCertificate);
    } catch (IllegalArgumentException e) {
      String key = clientCertificate && !tls ? "console.require-client-certificate" : "console.tls";
      throw new ConfigException(file + ", key " + key + ": " + e.getMessage());
    }
  }
}
