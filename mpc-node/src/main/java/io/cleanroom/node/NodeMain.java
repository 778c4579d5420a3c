package io.cleanroom.node;

import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** {@code cleanroom node --config FILE}: runs a bank node until it is stopped. */
public final class NodeMain {
  private NodeMain() {}

  /**
   * Starts a node from its configuration file.
   *
   * @throws ConfigException when the configuration or the node's certificate cannot be used
   */
  public static Node start(Path configFile) throws ConfigException, IOException {
    NodeConfig.Resolved config = NodeConfig.load(configFile);
    TlsMaterial tls;
    try {
      tls = TlsMaterial.loadDir(config.tls());
    } catch (Exception e) {
      throw new ConfigException(configFile + ", key tls: " + e.getMessage(), e);
    }
    try {
      return new Node(config, tls).start();
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new ConfigException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Runs a node in the foreground; returns the process exit code. */
  public static int run(Path configFile, PrintStream err) {
    Node node;
    try {
      node = start(configFile);
    } catch (ConfigException e) {
      err.println("node: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("node: cannot start: " + e.getMessage());
      return 1;
    }
    Thread stopper =
        new Thread(
            () -> {
              try {
                node.stop();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "node-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      node.blockUntilShutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
