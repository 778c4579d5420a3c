package io.cleanroom.coordinator;

import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.service.ForegroundService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/** {@code cleanroom coordinator --config FILE}: runs the coordinator until it is stopped. */
public final class CoordinatorMain {
  private CoordinatorMain() {}

  public static Coordinator start(Path configFile) throws ConfigException, IOException {
    CoordinatorConfig.Resolved config = CoordinatorConfig.load(configFile);
    TlsMaterial tls = ForegroundService.loadTls(configFile, config.tls());
    try {
      return new Coordinator(config, tls).start();
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new ConfigException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** Runs the coordinator in the foreground; returns the process exit code. */
  public static int run(Path configFile, PrintStream err) {
    return ForegroundService.run("coordinator", configFile, CoordinatorMain::start, err);
  }
}
