package io.cleanroom.testbed.local;

import io.cleanroom.protocol.service.ForegroundService;
import java.nio.file.Path;
import java.util.Optional;

/** A party running as a gRPC server in this JVM, over the same mutual-TLS code as a process. */
final class InProcessParty implements Party {

  private final String name;
  private final ForegroundService.Running server;

  InProcessParty(String name, ForegroundService.Running server) {
    this.name = name;
    this.server = server;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public Optional<Integer> exitCode() {
    return Optional.empty();
  }

  @Override
  public Optional<Path> log() {
    return Optional.empty();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
