package io.cleanroom.coordinator;

import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** {@code cleanroom coordinator --config FILE}: runs the coordinator until it is stopped. */
public final class CoordinatorMain {
  private CoordinatorMain() {}

  public static Coordinator start(Path configFile) throws ConfigException, IOException {
    CoordinatorConfig.Resolved config = CoordinatorConfig.load(configFile);
    TlsMaterial tls;
    try {
      tls = TlsMaterial.loadDir(config.tls());
    } catch (Exception e) {
      throw new ConfigException(configFile + ", key tls: " + e.getMessage(), e);
    }
    try {
      return new Coordinator(config, tls).start();
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new ConfigException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Runs the coordinator in the foreground; returns the process exit code. */
  public static int run(Path configFile, PrintStream err) {
    Coordinator c;
    try {
      c = start(configFile);
    } catch (ConfigException e) {
      err.println("coordinator: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("coordinator: cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    c.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "coordinator-shutdown"));
    try {
      c.blockUntilShutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
