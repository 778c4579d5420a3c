package io.cleanroom.testbed.bench;

/**
 * Sizes for the benchmarks.
 *
 * @param banks number of bank nodes
 * @param accounts accounts over all banks (graph benchmarks)
 * @param rows elements or rows (engine benchmarks)
 * @param features features per row (training benchmarks)
 * @param batchSize rows per batch (training benchmarks)
 */
public record BenchOptions(int banks, int accounts, int rows, int features, int batchSize) {
  public BenchOptions {
    if (banks < 2) {
      throw new IllegalArgumentException("--banks must be at least 2, got " + banks);
    }
    if (accounts < 1 || rows < 1 || features < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "--accounts, --rows, --features and --batch-size must be positive");
    }
  }
}
