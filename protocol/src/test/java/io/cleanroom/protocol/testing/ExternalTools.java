package io.cleanroom.protocol.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a program from outside the JVM (Chromium, PostgreSQL, Python's gRPC tools).
 *
 * <p>On a developer's machine with only a JDK such a test is skipped, saying what to install. Where
 * the environment variable {@value #REQUIRE} is {@code 1} (continuous integration, after {@code
 * .ci/run} installed the Debian packages) a missing program fails the test instead, so that a
 * broken installation can never pass as a skip.
 */
public final class ExternalTools {

  /** The environment variable that turns a missing program from a skip into a failure. */
  public static final String REQUIRE = "CLEANROOM_REQUIRE_TOOLS";

  private ExternalTools() {}

  /**
   * Returns {@code program} if it exists and is executable; otherwise skips the test, or fails it
   * where {@value #REQUIRE} is set.
   *
   * @param debianPackages the packages that provide it, for the message
   */
  public static Path require(Path program, String debianPackages) {
    if (Files.isExecutable(program)) {
      return program;
    }
    String message = program + " is not installed (Debian: apt-get install " + debianPackages + ")";
    if ("1".equals(System.getenv(REQUIRE))) {
      throw new AssertionError(message + "; " + REQUIRE + "=1 requires it");
    }
    Assumptions.abort(message);
    return program;
  }
}
