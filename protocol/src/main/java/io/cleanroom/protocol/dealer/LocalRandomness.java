package io.cleanroom.protocol.dealer;

import io.cleanroom.protocol.mpc.CorrelatedRandomness;

/**
 * One party's view of a {@link Dealer} in the same process, for unit tests and the testbed's
 * plaintext-free benchmarks; nodes use the coordinator's stream instead.
 */
public final class LocalRandomness implements CorrelatedRandomness {
  private final Dealer dealer;
  private final int party;

  public LocalRandomness(Dealer dealer, int party) {
    this.dealer = dealer;
    this.party = party;
  }

  @Override
  public BeaverTriples triples(String step, int n) {
    return dealer.triples(step, party, n);
  }

  @Override
  public TruncationMasks truncationMasks(String step, int n, int shift) {
    return dealer.truncationMasks(step, party, n, shift);
  }

  @Override
  public PowerTuples powers(String step, int n) {
    return dealer.powers(step, party, n);
  }

  @Override
  public BitMasks bitMasks(String step, int n) {
    return dealer.bitMasks(step, party, n);
  }

  @Override
  public EdaBits edaBits(String step, int n, int bits) {
    return dealer.edaBits(step, party, n, bits);
  }

  @Override
  public BitTriples bitTriples(String step, int words) {
    return dealer.bitTriples(step, party, words);
  }

  @Override
  public long[] edgeMask(String maskStep, int edges) {
    return dealer.edgeMask(maskStep, party, edges);
  }

  @Override
  public EdgeTriples edgeTriples(String maskStep, String step, int[] src, int nodes) {
    return dealer.edgeTriples(maskStep, step, party, src, nodes);
  }

  @Override
  public long[] ownerMask(String maskStep, int rows, int cols) {
    return dealer.ownerMask(maskStep, party, rows, cols);
  }

  @Override
  public RowTriples rowTriples(
      String maskStep, String step, int[] rowsByOwner, int cols, boolean transposed) {
    return dealer.rowTriples(maskStep, step, party, rowsByOwner, cols, transposed);
  }
}
