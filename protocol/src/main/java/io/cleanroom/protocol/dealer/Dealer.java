package io.cleanroom.protocol.dealer;

import io.cleanroom.protocol.mpc.CorrelatedRandomness.BeaverTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitMasks;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdaBits;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdgeTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.PowerTuples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.RowTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.TruncationMasks;
import io.cleanroom.protocol.sharing.Prg;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Generates the correlated randomness of one study, deterministically from a secret study seed, so
 * that each party's part can be produced on request without storing anything.
 *
 * <p>For a correlation with values v (e.g. a, b, a·b) the dealer derives, per step, a value
 * generator and one share generator per party from the seed with HMAC-SHA256 (as a PRF, RFC 2104);
 * the shares of parties 1..N−1 are their generators' output (uniform), and party 0's share is v − Σ
 * others. A party's shares are therefore uniform and independent of v; any N−1 of them are too.
 *
 * <p>Thread-safe: every call builds its own generators.
 */
public final class Dealer {

  private final byte[] seed;
  private final int parties;
  private final int onlyParty;
  private final byte[] onlyPartySeed;

  /**
   * @param seed the study's dealer seed, at least 16 secret random bytes
   * @param parties the number of bank nodes
   */
  public Dealer(byte[] seed, int parties) {
    this(seed.clone(), parties, -1, null);
    if (seed.length < 16) {
      throw new IllegalArgumentException("dealer seed must be at least 16 bytes");
    }
  }

  private Dealer(byte[] seed, int parties, int onlyParty, byte[] onlyPartySeed) {
    if (parties < 2) {
      throw new IllegalArgumentException("a study has at least 2 parties, got " + parties);
    }
    this.seed = seed;
    this.parties = parties;
    this.onlyParty = onlyParty;
    this.onlyPartySeed = onlyPartySeed;
  }

  /**
   * The dealer as party {@code party} (1..N−1) runs it for itself from its {@link #partySeed}: it
   * yields exactly the shares the study's dealer would send that party, and nothing else. Party 0's
   * shares depend on the correlated values, so party 0 always receives them from the dealer.
   */
  public static Dealer forParty(byte[] partySeed, int party, int parties) {
    if (party < 1 || party >= parties) {
      throw new IllegalArgumentException("a party seed serves parties 1.." + (parties - 1));
    }
    if (partySeed.length != 32) {
      throw new IllegalArgumentException("a party seed is 32 bytes");
    }
    return new Dealer(null, parties, party, partySeed.clone());
  }

  /**
   * The seed from which party {@code party} (1..N−1) derives all its shares: HMAC(seed,
   * "party-seed|" ‖ party). Handing it to that party replaces streaming its shares.
   */
  public byte[] partySeed(int party) {
    if (seed == null) {
      throw new IllegalStateException("a party's dealer knows only its own seed");
    }
    if (party < 1 || party >= parties) {
      throw new IllegalArgumentException("party seeds exist for parties 1.." + (parties - 1));
    }
    return hmac(seed, "party-seed|" + party);
  }

  public int parties() {
    return parties;
  }

  /** Party {@code party}'s shares of n Beaver triples of step {@code step}. */
  public BeaverTriples triples(String step, int party, int n) {
    long[][] s =
        share(
            "triples|" + step,
            party,
            n,
            3,
            () -> {
              Prg g = prg("triples|" + step + "|values");
              long[] a = g.next(n);
              long[] b = g.next(n);
              long[] c = new long[n];
              for (int i = 0; i < n; i++) {
                c[i] = a[i] * b[i];
              }
              return new long[][] {a, b, c};
            });
    return new BeaverTriples(s[0], s[1], s[2]);
  }

  /** Party {@code party}'s shares of n power tuples (a, a², a³) of step {@code step}. */
  public PowerTuples powers(String step, int party, int n) {
    long[][] s =
        share(
            "powers|" + step,
            party,
            n,
            3,
            () -> {
              long[] a = prg("powers|" + step + "|values").next(n);
              long[] a2 = new long[n];
              long[] a3 = new long[n];
              for (int i = 0; i < n; i++) {
                a2[i] = a[i] * a[i];
                a3[i] = a2[i] * a[i];
              }
              return new long[][] {a, a2, a3};
            });
    return new PowerTuples(s[0], s[1], s[2]);
  }

  /** Party {@code party}'s shares of n truncation masks for a shift of {@code shift} bits. */
  public TruncationMasks truncationMasks(String step, int party, int n, int shift) {
    if (shift < 1 || shift > 62) {
      throw new IllegalArgumentException("shift must be 1..62, got " + shift);
    }
    String label = "trunc|" + shift + "|" + step;
    long[][] s =
        share(
            label,
            party,
            n,
            3,
            () -> {
              long[] r = prg(label + "|values").next(n);
              long[] top = new long[n];
              long[] low = new long[n];
              for (int i = 0; i < n; i++) {
                top[i] = r[i] >>> 63;
                low[i] = (r[i] & Long.MAX_VALUE) >>> shift;
              }
              return new long[][] {r, top, low};
            });
    return new TruncationMasks(s[0], s[1], s[2]);
  }

  /** Party {@code party}'s shares of n random r and of r's 64 bits. */
  public BitMasks bitMasks(String step, int party, int n) {
    String label = "bits|" + step;
    long[][] s =
        share(
            label,
            party,
            n,
            65,
            () -> {
              long[] r = prg(label + "|values").next(n);
              long[][] v = new long[65][];
              v[0] = r;
              for (int k = 0; k < 64; k++) {
                long[] bit = new long[n];
                for (int i = 0; i < n; i++) {
                  bit[i] = (r[i] >>> k) & 1L;
                }
                v[k + 1] = bit;
              }
              return v;
            });
    return new BitMasks(s[0], Arrays.copyOfRange(s, 1, 65));
  }

  /**
   * Party {@code party}'s shares of n random r in [0, 2^bits): additive shares of r and XOR shares
   * of its bits, bit-sliced (see {@link io.cleanroom.protocol.mpc.CorrelatedRandomness#edaBits}).
   */
  public EdaBits edaBits(String step, int party, int n, int bits) {
    if (bits < 1 || bits > 62) {
      throw new IllegalArgumentException("edaBits have 1..62 bits, got " + bits);
    }
    if (n < 0) {
      throw new IllegalArgumentException("negative size " + n);
    }
    int words = words(n);
    String label = "eda|" + bits + "|" + step;
    long[][] s =
        shareMixed(
            label,
            party,
            new int[] {n, Math.multiplyExact(bits, words)},
            new boolean[] {false, true},
            () -> {
              long[] r = prg(label + "|values").next(n);
              long mask = (1L << bits) - 1;
              for (int i = 0; i < n; i++) {
                r[i] &= mask;
              }
              return new long[][] {r, bitSlice(r, bits)};
            });
    return new EdaBits(s[0], s[1]);
  }

  /** Party {@code party}'s XOR shares of 64·words AND triples over GF(2), bit-sliced. */
  public BitTriples bitTriples(String step, int party, int words) {
    if (words < 0) {
      throw new IllegalArgumentException("negative size " + words);
    }
    String label = "bit-triples|" + step;
    long[][] s =
        shareMixed(
            label,
            party,
            new int[] {words, words, words},
            new boolean[] {true, true, true},
            () -> {
              Prg g = prg(label + "|values");
              long[] a = g.next(words);
              long[] b = g.next(words);
              long[] c = new long[words];
              for (int i = 0; i < words; i++) {
                c[i] = a[i] & b[i];
              }
              return new long[][] {a, b, c};
            });
    return new BitTriples(s[0], s[1], s[2]);
  }

  /** The number of 64-bit words that hold one bit of each of n values. */
  public static int words(int n) {
    return (n + 63) >>> 6;
  }

  /**
   * Bits 0..bits−1 of n values, bit-sliced: bit k of v_i is bit i mod 64 of word k·W + ⌊i/64⌋, W =
   * {@link #words}(n); unused positions are 0.
   */
  public static long[] bitSlice(long[] v, int bits) {
    int words = words(v.length);
    long[] sliced = new long[Math.multiplyExact(bits, words)];
    for (int i = 0; i < v.length; i++) {
      for (int k = 0; k < bits; k++) {
        sliced[k * words + (i >>> 6)] |= ((v[i] >>> k) & 1L) << (i & 63);
      }
    }
    return sliced;
  }

  /** Party {@code party}'s shares of the constant-operand mask a of {@code maskStep}. */
  public long[] edgeMask(String maskStep, int party, int edges) {
    return share(
        "edge-mask|" + maskStep, party, edges, 1, () -> new long[][] {maskValues(maskStep, edges)})[
        0];
  }

  /**
   * Party {@code party}'s shares of a node mask b (length {@code nodes}) and of c_e = a_e ·
   * b_src(e), a being the mask of {@code maskStep}.
   */
  public EdgeTriples edgeTriples(String maskStep, String step, int party, int[] src, int nodes) {
    for (int e = 0; e < src.length; e++) {
      if (src[e] < 0 || src[e] >= nodes) {
        throw new IllegalArgumentException(
            "edge " + e + " starts at node " + src[e] + ", outside 0.." + (nodes - 1));
      }
    }
    String label = "edge-triples|" + maskStep + "|" + step;
    int edges = src.length;
    long[][] s =
        share(
            label,
            party,
            nodes + edges,
            1,
            () -> {
              long[] a = maskValues(maskStep, edges);
              long[] b = prg(label + "|values").next(nodes);
              long[] bc = Arrays.copyOf(b, nodes + edges);
              for (int e = 0; e < edges; e++) {
                bc[nodes + e] = a[e] * b[src[e]];
              }
              return new long[][] {bc};
            });
    return new EdgeTriples(
        Arrays.copyOfRange(s[0], 0, nodes), Arrays.copyOfRange(s[0], nodes, nodes + edges));
  }

  /**
   * The seed from which party {@code owner} derives the masks of the row blocks it owns: HMAC(seed,
   * "owner-seed|" ‖ owner). Only that party and the dealer know it.
   */
  public byte[] ownerSeed(int owner) {
    if (seed == null) {
      throw new IllegalStateException("a party's dealer knows only its own seed");
    }
    if (owner < 0 || owner >= parties) {
      throw new IllegalArgumentException("party index " + owner + " outside 0.." + (parties - 1));
    }
    return hmac(seed, "owner-seed|" + owner);
  }

  /**
   * The mask of {@code n} values of a row block owned by the holder of {@code ownerSeed}, for the
   * block {@code maskStep}: the AES-CTR expansion of HMAC(ownerSeed, "owner-mask|" ‖ maskStep).
   */
  public static long[] ownerMask(byte[] ownerSeed, String maskStep, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative size " + n);
    }
    return Prg.fromSeed(Arrays.copyOf(hmac(ownerSeed, "owner-mask|" + maskStep), 16)).next(n);
  }

  /** Party {@code party}'s own mask of the rows × cols block it owns in {@code maskStep}. */
  public long[] ownerMask(String maskStep, int party, int rows, int cols) {
    return ownerMask(ownerSeed(party), maskStep, Math.multiplyExact(rows, cols));
  }

  /**
   * Party {@code party}'s shares of the triples of a row block stacked by owner (see {@link
   * io.cleanroom.protocol.mpc.CorrelatedRandomness#rowTriples}): b and c = A·b, or b over the rows
   * and c = Aᵀ·b when {@code transposed}, A being the owners' masks of {@code maskStep}.
   */
  public RowTriples rowTriples(
      String maskStep, String step, int party, int[] rowsByOwner, int cols, boolean transposed) {
    if (rowsByOwner.length != parties) {
      throw new IllegalArgumentException(
          "row counts for " + rowsByOwner.length + " owners, the study has " + parties);
    }
    if (cols < 1) {
      throw new IllegalArgumentException("a row block has at least one column, got " + cols);
    }
    int rows = 0;
    for (int r : rowsByOwner) {
      if (r < 0) {
        throw new IllegalArgumentException("negative row count " + r);
      }
      rows = Math.addExact(rows, r);
    }
    int total = rows;
    int bLength = transposed ? rows : cols;
    int cLength = transposed ? cols : rows;
    String label = "row-triples|" + (transposed ? "T|" : "N|") + maskStep + "|" + step;
    long[][] s =
        share(
            label,
            party,
            Math.addExact(bLength, cLength),
            1,
            () -> {
              long[] b = prg(label + "|values").next(bLength);
              long[] bc = Arrays.copyOf(b, bLength + cLength);
              int row = 0;
              for (int q = 0; q < parties; q++) {
                long[] a = ownerMask(maskStep, q, rowsByOwner[q], cols);
                for (int i = 0; i < rowsByOwner[q]; i++, row++) {
                  int base = i * cols;
                  if (transposed) {
                    long bi = b[row];
                    for (int j = 0; j < cols; j++) {
                      bc[bLength + j] += a[base + j] * bi;
                    }
                  } else {
                    long acc = 0;
                    for (int j = 0; j < cols; j++) {
                      acc += a[base + j] * b[j];
                    }
                    bc[bLength + row] = acc;
                  }
                }
              }
              if (row != total) {
                throw new IllegalStateException("row count mismatch");
              }
              return new long[][] {bc};
            });
    return new RowTriples(
        Arrays.copyOfRange(s[0], 0, bLength), Arrays.copyOfRange(s[0], bLength, bLength + cLength));
  }

  private long[] maskValues(String maskStep, int edges) {
    return prg("edge-mask|" + maskStep + "|values").next(edges);
  }

  /** Generates values lazily: party 0's share needs them, other parties' shares do not. */
  private interface Values {
    long[][] get();
  }

  private long[][] share(String label, int party, int n, int components, Values values) {
    if (n < 0) {
      throw new IllegalArgumentException("negative size " + n);
    }
    int[] lengths = new int[components];
    Arrays.fill(lengths, n);
    return shareMixed(label, party, lengths, new boolean[components], values);
  }

  /**
   * The shares of correlated values with the given components' lengths, each component shared
   * additively in Z_2^64 or, where {@code xor} says so, by XOR over GF(2): parties 1..N−1 get their
   * generators' output, party 0 the values minus, or XOR, all of those.
   */
  private long[][] shareMixed(
      String label, int party, int[] lengths, boolean[] xor, Values values) {
    if (party < 0 || party >= parties) {
      throw new IllegalArgumentException("party index " + party + " outside 0.." + (parties - 1));
    }
    if (onlyParty >= 0 && party != onlyParty) {
      throw new IllegalArgumentException(
          "this dealer serves party " + onlyParty + " only, not party " + party);
    }
    if (party != 0) {
      return mixedShareOf(label, party, lengths);
    }
    long[][] v = values.get();
    for (int j = 1; j < parties; j++) {
      long[][] other = mixedShareOf(label, j, lengths);
      for (int k = 0; k < lengths.length; k++) {
        for (int i = 0; i < lengths[k]; i++) {
          if (xor[k]) {
            v[k][i] ^= other[k][i];
          } else {
            v[k][i] -= other[k][i];
          }
        }
      }
    }
    return v;
  }

  private long[][] mixedShareOf(String label, int party, int[] lengths) {
    byte[] ps = party == onlyParty ? onlyPartySeed : partySeed(party);
    Prg g = Prg.fromSeed(Arrays.copyOf(hmac(ps, label + "|share"), 16));
    long[][] out = new long[lengths.length][];
    for (int k = 0; k < lengths.length; k++) {
      out[k] = g.next(lengths[k]);
    }
    return out;
  }

  private Prg prg(String label) {
    if (seed == null) {
      throw new IllegalStateException("a party's dealer cannot produce correlated values");
    }
    return Prg.fromSeed(Arrays.copyOf(hmac(seed, label), 16));
  }

  private static byte[] hmac(byte[] key, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
