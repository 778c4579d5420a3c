package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.BeaverTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.TruncationMasks;
import io.cleanroom.protocol.ring.Ring64;
import io.cleanroom.protocol.sharing.AdditiveSharing;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.wire.v1.Batch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One party's handle on the secret-shared arithmetic of a study: whole columns of additive shares
 * over Z_2^64, in the style of FRESCO's numeric builders but vectorised, with one communication
 * round per operation wherever the protocol allows, and with every message named by an explicit
 * step label.
 *
 * <p><b>Conventions.</b> A shared vector is this party's {@code long[]} of shares; the values are
 * the element-wise sums over all parties in {@link Transport#parties()} order. Public constants are
 * added by party 0 only. Values are either ring elements (exact arithmetic modulo 2^64) or
 * fixed-point numbers as defined by {@link FixedPoint} (f fractional bits); the method names say
 * which ({@code mul} is ring, {@code mulFixed} is fixed point). All parties must call the same
 * operations with the same step labels and lengths in the same order. A step label is consumed by
 * the call that names it: sub-protocols use the label itself and labels formed by appending {@code
 * /} and a suffix ({@code /trunc}, {@code /lvl3}, ...), so callers should pick labels that are not
 * extensions of one another. Labels must match the transport's step syntax (lower case, digits and
 * {@code /#._:-}).
 *
 * <p><b>Trust.</b> Protocols are secure against a semi-honest adversary corrupting up to N−1 of the
 * N parties, given a dealer (the coordinator) that follows the protocol and does not collude with
 * any party. Every value a party receives is either its own input share or a value masked by
 * uniformly random dealer randomness, so it is uniformly distributed and independent of the inputs;
 * each method states what is opened. Costs are per party: "k elements" means k ring elements (8
 * bytes each, plus framing) sent to each of the N−1 other parties.
 *
 * <p>Not thread-safe: one instance per protocol thread.
 */
public final class Arithmetic {

  /**
   * The largest absolute difference between {@link #sigmoid} (equivalently {@link #sigmoidPlain})
   * and the logistic function 1/(1+e^−x), over all reals, not counting fixed-point error.
   */
  public static final double SIGMOID_MAX_ERROR = Sigmoid.MAX_ERROR;

  private static final long OFFSET = 1L << 62;

  private final Transport transport;
  private final CorrelatedRandomness dealer;
  private final FixedPoint fp;
  private final Prg prg;
  private final AdditiveSharing sharing;
  private final boolean leader;

  /**
   * @param transport this party's connection to the others of the study
   * @param dealer this party's part of the dealer's correlated randomness
   * @param fp the fixed-point encoding of the study
   * @param prg this party's private randomness, for sharing its inputs
   */
  public Arithmetic(Transport transport, CorrelatedRandomness dealer, FixedPoint fp, Prg prg) {
    if (transport.selfIndex() < 0) {
      throw new IllegalArgumentException(transport.self() + " is not a party of its own study");
    }
    this.transport = transport;
    this.dealer = dealer;
    this.fp = fp;
    this.prg = prg;
    this.sharing = new AdditiveSharing(transport, prg);
    this.leader = transport.selfIndex() == 0;
  }

  public Transport transport() {
    return transport;
  }

  public FixedPoint fixedPoint() {
    return fp;
  }

  /** Whether this party is party 0, the one that adds public constants. */
  public boolean isLeader() {
    return leader;
  }

  /** Shares of x + y. */
  public long[] add(long[] x, long[] y) {
    return Ring64.add(x, y);
  }

  /** Shares of x − y. */
  public long[] sub(long[] x, long[] y) {
    return Ring64.sub(x, y);
  }

  /** Shares of x + c for a public vector c (only party 0 adds it). */
  public long[] addPublic(long[] x, long[] c) {
    requireSameLength(x.length, c.length);
    return leader ? Ring64.add(x, c) : x.clone();
  }

  /** Shares of x + c for a public ring element c added to every element. */
  public long[] addPublic(long[] x, long c) {
    long[] out = x.clone();
    if (leader) {
      for (int i = 0; i < out.length; i++) {
        out[i] += c;
      }
    }
    return out;
  }

  /** Shares of the public vector c: c at party 0, zeros elsewhere. */
  public long[] fromPublic(long[] c) {
    return leader ? c.clone() : new long[c.length];
  }

  /** Shares of c·x in the ring, for a public ring element c. Exact. */
  public long[] mulPublic(long[] x, long c) {
    long[] out = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = c * x[i];
    }
    return out;
  }

  /**
   * Shares of c·x in fixed point for a public real c: multiplies by c's encoding and truncates by f
   * ({@link #truncate}, one round, n elements). The result is within 2^−f·(1 + |x|/2) of c·x
   * (encoding c rounds by at most 2^−(f+1)); requires |c·x| &lt; 2^(62−2f).
   */
  public long[] mulPublicFixed(String step, long[] x, double c) {
    return truncate(step, mulPublic(x, fp.encode(c)), fp.fractionBits());
  }

  /**
   * Secret-shares this party's own vector. For every other party the owner draws a fresh 128-bit
   * seed from its PRG and sends only the seed; that party's share is the seed's AES-CTR expansion
   * ({@link Prg}), and the owner keeps {@code values} minus the expansions. The others learn
   * nothing: each receives a uniform seed, and without the owner's own share, which no other party
   * can compute, the shares say nothing about the values. One round, 2 elements to each other party
   * whatever n is; pair with {@link #inputFrom} at the other parties.
   */
  public long[] inputOwn(String step, long[] values) {
    long[] mine = values.clone();
    for (String p : transport.parties()) {
      if (!p.equals(transport.self())) {
        long[] seed = prg.next(2);
        Ring64.subInPlace(mine, expand(seed, values.length));
        transport.send(p, step, Batch.Kind.SHARES, seed);
      }
    }
    return mine;
  }

  /** Receives this party's share of an n-element vector that {@code owner} inputs. */
  public long[] inputFrom(String step, String owner, int n) {
    if (owner.equals(transport.self())) {
      throw new IllegalArgumentException("a party inputs its own vector with inputOwn");
    }
    if (!transport.parties().contains(owner)) {
      throw new IllegalArgumentException(owner + " is not a party of the study");
    }
    return expand(receiveExactly(owner, step, 2), n);
  }

  /** n uniform elements from the AES-CTR generator keyed with a 128-bit seed given as two words. */
  private static long[] expand(long[] seed, int n) {
    byte[] key = new byte[16];
    ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(seed[0]).putLong(seed[1]);
    return Prg.fromSeed(key).next(n);
  }

  /**
   * Every party inputs a vector of the same length; returns this party's shares of each party's
   * vector, indexed by party. See {@link AdditiveSharing#inputAll}.
   */
  public long[][] inputAll(String step, long[] own) {
    return sharing.inputAll(step, own);
  }

  /**
   * Sends a public vector from {@code owner} to every other party: the owner passes its values and
   * gets them back; every other party passes null and the length, and receives them. Only for
   * values that are already uniform to the receivers, such as a masked input. One round.
   */
  public long[] publish(String step, String owner, long[] values, int n) {
    if (!transport.parties().contains(owner)) {
      throw new IllegalArgumentException(owner + " is not a party of the study");
    }
    if (owner.equals(transport.self())) {
      requireSameLength(values.length, n);
      for (String p : transport.parties()) {
        if (!p.equals(owner)) {
          transport.send(p, step, Batch.Kind.OPENING, values);
        }
      }
      return values;
    }
    return receiveExactly(owner, step, n);
  }

  /**
   * Opens x to every party: each sends its shares to all others and adds up what it receives.
   * Everyone learns x and nothing else. One round, n elements.
   */
  public long[] open(String step, long[] x) {
    return exchange(step, x, Ring64::addInPlace);
  }

  /**
   * Opens XOR-shared words x to every party (shares over GF(2), bit-sliced): each sends its words
   * to all others and XORs what it receives. Everyone learns x and nothing else. One round, n
   * words.
   */
  public long[] openXor(String step, long[] x) {
    return exchange(
        step,
        x,
        (acc, v) -> {
          for (int i = 0; i < acc.length; i++) {
            acc[i] ^= v[i];
          }
        });
  }

  /**
   * Sends x to every other party and combines what each sends back into a copy of x, one round: the
   * all-to-all opening of {@link #open} and {@link #openXor}.
   */
  private long[] exchange(String step, long[] x, BiConsumer<long[], long[]> combine) {
    List<String> parties = transport.parties();
    for (String p : parties) {
      if (!p.equals(transport.self())) {
        transport.send(p, step, Batch.Kind.OPENING, x);
      }
    }
    long[] out = x.clone();
    for (String p : parties) {
      if (!p.equals(transport.self())) {
        combine.accept(out, receiveExactly(p, step, x.length));
      }
    }
    return out;
  }

  /**
   * Opens x to every party through party 0: the others send their shares to party 0 only, and it
   * sends back the sum. Everyone learns x; party 0 sees the other parties' shares, which an
   * all-to-all {@link #open} shows to every party anyway. Two rounds, but 2·(N−1)·n elements in all
   * instead of N·(N−1)·n, which matters for long one-off openings such as a masked matrix.
   */
  public long[] openThroughLeader(String step, long[] x) {
    String leaderName = transport.parties().get(0);
    long[] sum = openTo(step + "/gather", leaderName, x);
    if (leader) {
      for (String p : transport.parties()) {
        if (!p.equals(transport.self())) {
          transport.send(p, step + "/scatter", Batch.Kind.OPENING, sum);
        }
      }
      return sum;
    }
    return receiveExactly(leaderName, step + "/scatter", x.length);
  }

  /**
   * Opens x to {@code receiver} only: returns x there and null at every other party. The others
   * only send their shares, so they learn nothing. One round, n elements sent to the receiver.
   */
  public long[] openTo(String step, String receiver, long[] x) {
    if (!transport.parties().contains(receiver)) {
      throw new IllegalArgumentException(receiver + " is not a party of the study");
    }
    if (!receiver.equals(transport.self())) {
      transport.send(receiver, step, Batch.Kind.OPENING, x);
      return null;
    }
    long[] sum = x.clone();
    for (String p : transport.parties()) {
      if (!p.equals(transport.self())) {
        Ring64.addInPlace(sum, receiveExactly(p, step, x.length));
      }
    }
    return sum;
  }

  /**
   * Shares of x·y in the ring, exact, by Beaver multiplication (Beaver 1991, "Efficient multiparty
   * protocols using circuit randomization"): with a dealer triple (a, b, c = a·b) the parties open
   * d = x − a and e = y − b as one concatenated vector, and z = c + d·b + e·a + d·e (the public d·e
   * at party 0 only). What each party learns: d and e, uniform because a and b are. One round, 2n
   * elements.
   */
  public long[] mul(String step, long[] x, long[] y) {
    requireSameLength(x.length, y.length);
    int n = x.length;
    BeaverTriples t = dealer.triples(step, n);
    requireDealt(t.a(), n, "triples", step);
    requireDealt(t.b(), n, "triples", step);
    requireDealt(t.c(), n, "triples", step);
    long[] masked = new long[2 * n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] - t.a()[i];
      masked[n + i] = y[i] - t.b()[i];
    }
    long[] de = open(step, masked);
    long[] z = new long[n];
    for (int i = 0; i < n; i++) {
      long d = de[i];
      long e = de[n + i];
      z[i] = t.c()[i] + d * t.b()[i] + e * t.a()[i] + (leader ? d * e : 0);
    }
    return z;
  }

  /**
   * Shares of x·y in fixed point: {@link #mul} then {@link #truncate} by f (step {@code step +
   * "/trunc"}). For encodings X, Y the result is floor(X·Y/2^f) or one more, so it is within 2^−f
   * of the product of the encoded values. Requires |X·Y| &lt; 2^62, i.e. |x·y| &lt; 2^(62−2f). Two
   * rounds, 3n elements.
   */
  public long[] mulFixed(String step, long[] x, long[] y) {
    return truncate(step + "/trunc", mul(step, x, y), fp.fractionBits());
  }

  /** Shares of x² in the ring: {@link #mul} of x with itself (one round, 2n elements). */
  public long[] square(String step, long[] x) {
    return mul(step, x, x);
  }

  /** Shares of x² in fixed point: {@link #mulFixed} of x with itself (two rounds, 3n elements). */
  public long[] squareFixed(String step, long[] x) {
    return mulFixed(step, x, x);
  }

  /**
   * Shares of the fixed-point dot products Σ_j x[i][j]·y[i][j], one per row i; rows may differ in
   * length but x[i] and y[i] must not. All products go through one Beaver multiplication, the sums
   * are local, and the sums are truncated once (step {@code step + "/trunc"}), so the result is
   * floor(S_i/2^f) or one more for the exact sum S_i of encoded products: within 2^−f of the dot
   * product of the encoded values. Requires |S_i| &lt; 2^62. Two rounds, 2·Σ_i len(x[i]) + rows
   * elements.
   */
  public long[] dot(String step, long[][] x, long[][] y) {
    requireSameLength(x.length, y.length);
    int total = 0;
    for (int i = 0; i < x.length; i++) {
      requireSameLength(x[i].length, y[i].length);
      total += x[i].length;
    }
    long[] xs = new long[total];
    long[] ys = new long[total];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(x[i], 0, xs, k, x[i].length);
      System.arraycopy(y[i], 0, ys, k, y[i].length);
      k += x[i].length;
    }
    long[] products = mul(step, xs, ys);
    long[] sums = new long[x.length];
    k = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        sums[i] += products[k++];
      }
    }
    return truncate(step + "/trunc", sums, fp.fractionBits());
  }

  /**
   * Masks a constant secret sparse matrix once so that it can multiply many shared vectors, each
   * product costing one opening of a node vector instead of one per edge. See {@link MaskedMatrix}.
   *
   * @param maskStep names the matrix; its dealer mask and its opening (through party 0: two rounds,
   *     2·(N−1)·edges elements in all)
   * @param src the column (source node) of each edge
   * @param dst the row (destination node) of each edge
   * @param nodes the number of rows and columns
   * @param weightShares this party's shares of the fixed-point weight of each edge
   */
  public MaskedMatrix maskMatrix(
      String maskStep, int[] src, int[] dst, int nodes, long[] weightShares) {
    return MaskedMatrix.mask(this, maskStep, src, dst, nodes, weightShares);
  }

  /**
   * Shares of x shifted right by {@code shift} bits, x read as a signed integer with −2^62 ≤ x &lt;
   * 2^62: the result is floor(x/2^shift) or floor(x/2^shift) + 1. It is the larger one with
   * probability (x mod 2^shift)/2^shift over the dealer's randomness, so the rounding is unbiased
   * (probabilistic rounding); either way the error is below one unit of the result. Outside that
   * range the result is meaningless, and nothing detects it.
   *
   * <p>Protocol, in the style of the MSB-masking truncations of Damgård, Escudero et al. 2019 ("New
   * primitives for actively-secure MPC over rings with applications to private machine learning")
   * and Escudero et al. 2020 ("Improved primitives for MPC over mixed arithmetic-binary circuits").
   * The dealer supplies shares of a uniform r in Z_2^64, of its top bit r_63 and of R = (r mod
   * 2^63) &gt;&gt; shift. Let x' = x + 2^62 (party 0 adds 2^62), so 0 ≤ x' &lt; 2^63. The parties
   * open c = x' + r mod 2^64, uniform and independent of x. Write c_63 for the top bit of c, c_low
   * = c mod 2^63 and r_low = r mod 2^63. Since x' + r_low &lt; 2^64, this integer has low bits
   * c_low and top bit u = c_63 XOR r_63, hence x' = c_low + u·2^63 − r_low exactly, and u = c_63 +
   * r_63 − 2·c_63·r_63 is linear in the shared r_63 because c_63 is public. Dividing by 2^shift:
   * floor(x'/2^shift) = (c_low &gt;&gt; shift) + u·2^(63−shift) − R − borrow with borrow = [c_low
   * mod 2^shift &lt; r_low mod 2^shift]. Dropping the borrow gives floor(x'/2^shift) + borrow, and
   * subtracting 2^(62−shift) (exact because 2^shift divides 2^62) removes the offset. The borrow is
   * 1 exactly when (x' mod 2^shift) + (r_low mod 2^shift) carries, which has probability (x mod
   * 2^shift)/2^shift.
   *
   * <p>What each party learns: c, which is uniform. One round, n elements.
   *
   * @param shift 1..62
   */
  public long[] truncate(String step, long[] x, int shift) {
    if (shift < 1 || shift > 62) {
      throw new IllegalArgumentException("shift must be 1..62, got " + shift);
    }
    int n = x.length;
    TruncationMasks m = dealer.truncationMasks(step, n, shift);
    requireDealt(m.r(), n, "truncation masks", step);
    requireDealt(m.top(), n, "truncation masks", step);
    requireDealt(m.lowShifted(), n, "truncation masks", step);
    long[] masked = new long[n];
    for (int i = 0; i < n; i++) {
      masked[i] = x[i] + m.r()[i] + (leader ? OFFSET : 0);
    }
    long[] c = open(step, masked);
    long[] out = new long[n];
    long unshift = 1L << (62 - shift);
    for (int i = 0; i < n; i++) {
      long c63 = c[i] >>> 63;
      long u = (1 - 2 * c63) * m.top()[i] + (leader ? c63 : 0);
      out[i] = (u << (63 - shift)) - m.lowShifted()[i];
      if (leader) {
        out[i] += ((c[i] & Long.MAX_VALUE) >>> shift) - unshift;
      }
    }
    return out;
  }

  /**
   * Shares of the bit [x &lt; 0] (0 or 1 in the ring), x read as a signed integer with −2^62 ≤ x
   * &lt; 2^62 (for fixed point: any encodable value). Exact. What each party learns: one uniform
   * masked value and the uniform Beaver openings. Seven rounds, 235n elements (1880 bytes per
   * element to each other party). See {@link Comparison} for the protocol.
   */
  public long[] lessThanZero(String step, long[] x) {
    return Comparison.lessThanZero(this, step, x);
  }

  /**
   * Shares of the bit [x &lt; y], as {@link #lessThanZero} of x − y; requires −2^62 ≤ x − y &lt;
   * 2^62 (true for any two encodable fixed-point values). Same cost.
   */
  public long[] lessThan(String step, long[] x, long[] y) {
    return lessThanZero(step, sub(x, y));
  }

  /**
   * Shares of an approximation of the logistic function 1/(1+e^−x) for fixed-point x, for training
   * logistic regression: 0 for x &lt; −5, 1 for x ≥ 5, and in between the degree-7 odd polynomial
   * fitted to the logistic function by least squares on [−5, 5]. Its largest error against the
   * logistic function is {@link #SIGMOID_MAX_ERROR} (0.0076) over all reals, so inputs need no
   * range restriction beyond |x| ≤ 2^(62−f) − 5 (the comparisons against ±5 must stay in range).
   * The secure result is within 4·2^−f of {@link #sigmoidPlain} of the encoded input (about
   * 1.5·2^−f at f = 20). Requires f ≤ 22 so that the powers of x fit the ring on [−5, 5].
   *
   * <p>What each party learns: only uniform masked values (two comparisons, Beaver openings and
   * truncation openings). Fifteen rounds, 488n elements. See {@link Sigmoid} for the steps.
   */
  public long[] sigmoid(String step, long[] x) {
    return Sigmoid.secure(this, step, x);
  }

  /**
   * Shares of the cubic approximation of the logistic function, 1/2 + c1·x + c3·x³ (see {@link
   * CubicSigmoid}), at scale 2^f, for shares of x at scale 2^{@code scale}: no comparison, 3 rounds
   * and 3n elements. Within 0.115 of σ for |x| ≤ 8, outside [0, 1] beyond |x| = 11.07 and
   * meaningless for |x| ≥ 86.7: only where logits are known to be small. Training uses {@link
   * #sigmoidClamped}.
   */
  public long[] sigmoidCubic(String step, long[] x, int scale) {
    return CubicSigmoid.secure(this, step, x, scale);
  }

  /**
   * Shares of the clamped cubic approximation of the logistic function (see {@link
   * ClampedCubicSigmoid}) at scale 2^f, for shares of x at scale 2^{@code scale}, 11 ≤ scale ≤ 62:
   * 0 below −3.6, 1 from 3.6 on, and in between the cubic 1/2 + c1·x + c3·x³ that reaches 0 and 1
   * there. In [0, 1], monotone and within 0.030 of σ for every input the ring can hold (plus the
   * fixed-point error 2^−10·0.21 + 2^−f), by exact comparisons over GF(2). What each party learns:
   * only uniform masked values. 11 rounds; about 10.2 elements per value to each other party.
   *
   * @param clamped receives, added to its first element, this party's share of the number of values
   *     that were clamped (|x| ≥ 3.6); may be null
   */
  public long[] sigmoidClamped(String step, long[] x, int scale, long[] clamped) {
    return sigmoidClamped(step, x, scale, clamped, 1.0);
  }

  /**
   * {@link #sigmoidClamped} times a public gain in (0, 1], at the same cost and with the error
   * scaled by the gain.
   */
  public long[] sigmoidClamped(String step, long[] x, int scale, long[] clamped, double gain) {
    return ClampedCubicSigmoid.secure(this, step, x, scale, clamped, gain);
  }

  /** Announces to {@code r} the randomness of {@link #sigmoidClamped} on n values. */
  public void announceSigmoidClamped(CorrelatedRandomness r, String step, int n, int scale) {
    ClampedCubicSigmoid.announce(r, step, n, scale, fp.fractionBits());
  }

  /** The plaintext value {@link #sigmoidClamped} computes, up to fixed-point error. */
  public static double sigmoidClampedPlain(double x) {
    return ClampedCubicSigmoid.plain(x);
  }

  /** Lets the dealer fetch ahead what {@code announce} says later steps will use. */
  public void prefetch(Consumer<CorrelatedRandomness> announce) {
    dealer.prefetch(announce);
  }

  /** Announces to {@code r} the randomness of {@link #truncate} on n values. */
  public static void announceTruncate(CorrelatedRandomness r, String step, int n, int shift) {
    r.truncationMasks(step, n, shift);
  }

  /** The plaintext value {@link #sigmoidCubic} approximates to within 2.2·10^−4 + 2^−f. */
  public static double sigmoidCubicPlain(double x) {
    return CubicSigmoid.plain(x);
  }

  /**
   * The same approximation as {@link #sigmoid}, in plaintext, so that reference computations use
   * the identical function.
   */
  public static double sigmoidPlain(double x) {
    return Sigmoid.plain(x);
  }

  CorrelatedRandomness dealer() {
    return dealer;
  }

  /** This party's private randomness, for sub-protocols that pad what they send. */
  Prg prg() {
    return prg;
  }

  private long[] receiveExactly(String from, String step, int n) {
    long[] v = transport.receive(from, step);
    if (v.length != n) {
      throw new IllegalStateException(
          from + " sent " + v.length + " elements at step " + step + ", expected " + n);
    }
    return v;
  }

  static void requireSameLength(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException("vectors of different lengths: " + a + " and " + b);
    }
  }

  static void requireDealt(long[] v, int n, String what, String step) {
    if (v.length != n) {
      throw new IllegalStateException(
          "dealer sent " + v.length + " " + what + " for step " + step + ", expected " + n);
    }
  }

  static long[] concat(long[]... parts) {
    int total = 0;
    for (long[] p : parts) {
      total += p.length;
    }
    long[] out = new long[total];
    int k = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, k, p.length);
      k += p.length;
    }
    return out;
  }

  static long[] slice(long[] v, int from, int to) {
    return Arrays.copyOfRange(v, from, to);
  }
}
