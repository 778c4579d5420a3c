package io.cleanroom.testbed.local;

import java.nio.file.Path;
import java.util.Optional;

/** A started party of the local testbed: a child process or a server in this JVM. */
interface Party extends AutoCloseable {

  String name();

  /** The party's exit code if it has stopped on its own. */
  Optional<Integer> exitCode();

  /** The operating-system process the party runs in. */
  long pid();

  /** Where the party's log goes, if it has a file of its own. */
  Optional<Path> log();

  /** Stops the party gracefully, forcibly after a grace period. */
  @Override
  void close();
}
