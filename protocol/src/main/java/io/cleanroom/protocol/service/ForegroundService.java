package io.cleanroom.protocol.service;

import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.logging.LogFormat;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Runs a server until the process is told to stop (SIGTERM, Ctrl-C), then stops it gracefully. A
 * configuration that cannot be used exits with code 2 and one line naming the file and key; a
 * server that cannot start exits with code 1.
 */
public final class ForegroundService {

  /** A started server, with grpc-java's lifecycle. */
  public interface Running {
    void stop() throws InterruptedException;

    void blockUntilShutdown() throws InterruptedException;
  }

  /** Starts a server from its configuration file. */
  public interface Starter {
    Running start(Path configFile) throws ConfigException, IOException;
  }

  private ForegroundService() {}

  /** The TLS material in folder {@code dir} named by key {@code tls} of {@code configFile}. */
  public static TlsMaterial loadTls(Path configFile, Path dir) throws ConfigException {
    try {
      return TlsMaterial.loadDir(dir);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(configFile + ", key tls: " + e.getMessage(), e);
    }
  }

  /** Returns the process exit code. */
  public static int run(String role, Path configFile, Starter starter, PrintStream err) {
    try {
      LogFormat.install();
    } catch (IllegalArgumentException e) {
      err.println(role + ": " + e.getMessage());
      return 2;
    }
    Running running;
    try {
      running = starter.start(configFile);
    } catch (ConfigException e) {
      err.println(role + ": " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println(role + ": cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                role + "-shutdown"));
    try {
      running.blockUntilShutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
