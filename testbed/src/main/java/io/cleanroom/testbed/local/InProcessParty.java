package io.cleanroom.testbed.local;

import java.nio.file.Path;
import java.util.Optional;

/** A party running as a gRPC server in this JVM, over the same mutual-TLS code as a process. */
final class InProcessParty implements Party {

  /** How to stop the server. */
  interface Stopper {
    void stop() throws InterruptedException;
  }

  private final String name;
  private final Stopper stopper;

  InProcessParty(String name, Stopper stopper) {
    this.name = name;
    this.stopper = stopper;
  }

  @Override
  public String name() {
    return name;
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
      stopper.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
