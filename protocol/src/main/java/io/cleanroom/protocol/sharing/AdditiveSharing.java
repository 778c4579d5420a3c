package io.cleanroom.protocol.sharing;

import io.cleanroom.protocol.ring.Ring64;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.wire.v1.Batch;
import java.util.List;

/**
 * Additive N-party secret sharing over Z_2^64 between the parties of a {@link Transport}.
 *
 * <p><b>Input.</b> The owner of a vector x draws, for every other party j, a share r_j uniformly at
 * random from its {@link Prg} and sends it to j; it keeps x − Σ r_j. Every other party receives
 * only uniformly random values and learns nothing about x; any N−1 shares are independent of x.
 *
 * <p><b>Open.</b> Every party sends its share to every other party and each adds up all N shares.
 * All parties learn the opened value and nothing else (the other shares are determined by it).
 *
 * <p>Each call names a protocol step; a step label may be used once per study.
 */
public final class AdditiveSharing {

  private final Transport transport;
  private final Prg prg;

  public AdditiveSharing(Transport transport, Prg prg) {
    this.transport = transport;
    this.prg = prg;
  }

  public Transport transport() {
    return transport;
  }

  /**
   * Every party inputs a vector of the same length; returns this party's shares of each party's
   * vector, indexed by party. Costs every party (N−1)·n elements sent.
   */
  public long[][] inputAll(String step, long[] own) {
    List<String> parties = transport.parties();
    long[][] shares = new long[parties.size()][];
    long[] mine = own.clone();
    for (String p : parties) {
      if (!p.equals(transport.self())) {
        long[] r = prg.next(own.length);
        Ring64.subInPlace(mine, r);
        transport.send(p, step, Batch.Kind.SHARES, r);
      }
    }
    for (int i = 0; i < parties.size(); i++) {
      String p = parties.get(i);
      shares[i] = p.equals(transport.self()) ? mine : transport.receive(p, step);
      if (shares[i].length != own.length) {
        throw new IllegalStateException(
            p
                + " input "
                + shares[i].length
                + " elements at step "
                + step
                + ", expected "
                + own.length);
      }
    }
    return shares;
  }

  /** Opens shared values to all parties; returns the values. */
  public long[] openToAll(String step, long[] share) {
    for (String p : transport.parties()) {
      if (!p.equals(transport.self())) {
        transport.send(p, step, Batch.Kind.OPENING, share);
      }
    }
    long[] sum = share.clone();
    for (String p : transport.parties()) {
      if (!p.equals(transport.self())) {
        Ring64.addInPlace(sum, transport.receive(p, step));
      }
    }
    return sum;
  }
}
