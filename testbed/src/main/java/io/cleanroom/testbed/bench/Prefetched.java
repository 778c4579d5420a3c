package io.cleanroom.testbed.bench;

import io.cleanroom.protocol.mpc.CorrelatedRandomness;

/**
 * Beaver triples fetched from a dealer before the clock starts, so that a benchmark measures the
 * online phase (the parties' work and traffic) apart from the dealer's preprocessing.
 */
final class Prefetched implements CorrelatedRandomness {
  private final String step;
  private final BeaverTriples triples;

  Prefetched(CorrelatedRandomness dealer, String step, int n) {
    this.step = step;
    this.triples = dealer.triples(step, n);
  }

  @Override
  public BeaverTriples triples(String s, int n) {
    if (!s.equals(step) || n != triples.a().length) {
      throw new IllegalStateException("no prefetched triples for step " + s + " of size " + n);
    }
    return triples;
  }

  @Override
  public TruncationMasks truncationMasks(String s, int n, int shift) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public BitMasks bitMasks(String s, int n) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public EdaBits edaBits(String s, int n, int bits) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public BitTriples bitTriples(String s, int words) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public long[] edgeMask(String maskStep, int edges) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public EdgeTriples edgeTriples(String maskStep, String s, int[] src, int nodes) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public PowerTuples powers(String s, int n) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public long[] ownerMask(String maskStep, int rows, int cols) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }

  @Override
  public RowTriples rowTriples(
      String maskStep, String s, int[] rowsByOwner, int cols, boolean transposed) {
    throw new UnsupportedOperationException("only triples are prefetched");
  }
}
