package io.cleanroom.testbed.generate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The generator's first entry point, kept so existing callers compile: it is {@link
 * Generator#generate(Path, GeneratorOptions)} with every knob but banks, accounts and seed at its
 * default.
 */
public final class SimpleGenerator {
  private SimpleGenerator() {}

  /**
   * Writes a dataset with default options; see {@link GeneratorOptions#of(int, int, long)}.
   *
   * @throws IllegalArgumentException if an argument is out of range, or {@code out} holds anything
   *     but a generated dataset
   * @throws IOException if writing fails
   */
  public static DatasetSummary generate(Path out, int banks, int accountsTotal, long seed)
      throws IOException {
    return Generator.generate(out, GeneratorOptions.of(banks, accountsTotal, seed));
  }
}
