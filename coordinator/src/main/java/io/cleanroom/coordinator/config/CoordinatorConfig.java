package io.cleanroom.coordinator.config;

import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.config.YamlConfig;
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
    String transcripts) {

  /** A validated configuration. */
  public record Resolved(
      String name,
      Endpoint listen,
      Path tls,
      int joinTimeoutSeconds,
      Path records,
      Path logKey,
      Path transcripts) {}

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
        c.transcripts == null ? null : YamlConfig.path(file, "transcripts", c.transcripts));
  }
}
