package io.cleanroom.testbed.local;

import io.cleanroom.protocol.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A party running as a separate JVM started with this JVM's java and class path. */
final class ChildProcess implements Party {

  private static final String LOG_FORMAT = "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n";

  private final String name;
  private final Process process;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code cleanroom <role> --config <config>} as a child process logging to {@code log}.
   */
  static ChildProcess start(String name, String role, Path config, Path log, String heap)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + heap);
    cmd.add("-Djava.util.logging.SimpleFormatter.format=" + LOG_FORMAT);
    // The log format goes to the child by the environment, which it inherits, or by this property.
    String logFormat = System.getProperty(LogFormat.PROPERTY);
    if (logFormat != null) {
      cmd.add("-D" + LogFormat.PROPERTY + "=" + logFormat);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.cleanroom.testbed.cli.CleanroomCli");
    cmd.add(role);
    cmd.add("--config");
    cmd.add(config.toString());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    return new ChildProcess(name, p, log);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  @Override
  public Optional<Path> log() {
    return Optional.of(log);
  }

  /** Kills the process at once (SIGKILL on POSIX): it gets no chance to clean up. */
  void kill() {
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
