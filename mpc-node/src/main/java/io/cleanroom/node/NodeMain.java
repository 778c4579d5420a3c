package io.cleanroom.node;

import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.DataException;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.logging.LogContext;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.service.ForegroundService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Locale;

/** {@code cleanroom node --config FILE}: runs a bank node until it is stopped. */
public final class NodeMain {
  private static final System.Logger LOG = System.getLogger(NodeMain.class.getName());

  private NodeMain() {}

  /**
   * Starts a node from its configuration file.
   *
   * @throws ConfigException when the configuration or the node's certificate cannot be used
   */
  public static Node start(Path configFile) throws ConfigException, IOException {
    NodeConfig.Resolved config = NodeConfig.load(configFile);
    TlsMaterial tls = ForegroundService.loadTls(configFile, config.tls());
    BankData data;
    // The node reads and checks its input here, before any study: a study has nothing to load.
    long t0 = System.nanoTime();
    try (LogContext.Scope c = LogContext.open(config.name(), "", "load")) {
      String source = config.jdbc() != null ? config.jdbc().toString() : config.data().toString();
      LOG.log(
          System.Logger.Level.INFO, "loading the input of " + config.name() + " from " + source);
      data =
          config.jdbc() != null
              ? BankData.load(config.jdbc(), config.name())
              : BankData.load(config.data(), config.name());
      LOG.log(
          System.Logger.Level.INFO,
          String.format(
              Locale.ROOT,
              "loaded %d accounts and %d transactions in %.1f s",
              data.accountCount(),
              data.transactionCount(),
              (System.nanoTime() - t0) / 1e9));
    } catch (DataException e) {
      throw new ConfigException("bad input, nothing was sent: " + e.getMessage(), e);
    }
    try {
      return new Node(config, data, tls).start();
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new ConfigException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Runs the node in the foreground; returns the process exit code. */
  public static int run(Path configFile, PrintStream err) {
    return ForegroundService.run("node", configFile, NodeMain::start, err);
  }
}
