package io.cleanroom.protocol.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.dealer.LocalRandomness;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.transport.StudyHarness;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.wire.v1.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests every transport must pass with the {@link Arithmetic} engine on top, written once: a
 * subclass supplies the parties' transports for a study (in memory here, gRPC with mutual TLS in
 * mpc-node) and every protocol is checked against the plaintext computation within its documented
 * error bound.
 */
public abstract class ArithmeticConformance {

  protected static final FixedPoint FP = new FixedPoint(FixedPoint.DEFAULT_FRACTION_BITS);
  private static final int F = FP.fractionBits();
  private static final double UNIT = Math.scalb(1.0, -F);

  protected abstract StudyHarness.Study newStudy(List<String> parties) throws Exception;

  /**
   * Runs {@code protocol} at every party of a fresh study of {@code n} parties, each with an {@link
   * Arithmetic} over its transport, a shared in-process dealer and a private PRG, all seeded from
   * {@code seed} so that runs are reproducible.
   */
  protected final <T> List<T> run(int n, long seed, Function<Arithmetic, T> protocol)
      throws Exception {
    try (StudyHarness.Study s = newStudy(StudyHarness.parties(n))) {
      return run(s, seed, protocol);
    }
  }

  private static <T> List<T> run(StudyHarness.Study s, long seed, Function<Arithmetic, T> protocol)
      throws Exception {
    List<Transport> ts = s.transports();
    List<CorrelatedRandomness> remote = s.randomness();
    SplittableRandom rnd = new SplittableRandom(seed);
    Dealer dealer = new Dealer(bytes(rnd, 16), ts.size());
    List<byte[]> prgSeeds = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      prgSeeds.add(bytes(rnd, 16));
    }
    return StudyHarness.runAll(
        ts,
        t ->
            protocol.apply(
                new Arithmetic(
                    t,
                    remote != null
                        ? remote.get(t.selfIndex())
                        : new LocalRandomness(dealer, t.selfIndex()),
                    FP,
                    Prg.fromSeed(prgSeeds.get(t.selfIndex())))));
  }

  private static byte[] bytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    return b;
  }

  /** Additive shares of {@code values} for {@code parties} parties, made by the test itself. */
  protected static long[][] share(long[] values, int parties, SplittableRandom rnd) {
    long[][] s = new long[parties][values.length];
    for (int i = 0; i < values.length; i++) {
      long rest = values[i];
      for (int p = 1; p < parties; p++) {
        s[p][i] = rnd.nextLong();
        rest -= s[p][i];
      }
      s[0][i] = rest;
    }
    return s;
  }

  /** The values whose shares the parties returned. */
  protected static long[] reveal(List<long[]> shares) {
    long[] sum = new long[shares.get(0).length];
    for (long[] s : shares) {
      assertEquals(sum.length, s.length, "share lengths differ");
      for (int i = 0; i < sum.length; i++) {
        sum[i] += s[i];
      }
    }
    return sum;
  }

  private static List<long[]> column(List<long[][]> perParty, int k) {
    List<long[]> out = new ArrayList<>();
    perParty.forEach(p -> out.add(p[k]));
    return out;
  }

  /**
   * Random values in [−2^(bits−1), 2^(bits−1)), the given edge values first (edges outside that
   * range are replaced by 0).
   */
  private static long[] signedValues(SplittableRandom rnd, int n, int bits, long... edges) {
    long[] v = new long[n];
    long half = bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1));
    for (int i = 0; i < edges.length; i++) {
      v[i] = bits == 64 || (edges[i] >= half && edges[i] < -half) ? edges[i] : 0;
    }
    for (int i = edges.length; i < n; i++) {
      // mix magnitudes so that small values are well represented
      int b = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(bits) : bits;
      v[i] = rnd.nextLong() >> (64 - b);
    }
    return v;
  }

  private static long[] encodeUniform(SplittableRandom rnd, int n, double bound, double... edges) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = FP.encode(i < edges.length ? edges[i] : (2 * rnd.nextDouble() - 1) * bound);
    }
    return v;
  }

  /** Asserts that got − floor(exact/2^shift) is 0 or 1, the documented truncation error. */
  private static void assertFloorOrOneMore(long exact, int shift, long got, String what) {
    long floor = exact >> shift;
    long diff = got - floor;
    if (diff != 0 && diff != 1) {
      fail(what + ": floor(" + exact + "/2^" + shift + ") = " + floor + " but got " + got);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void openThroughLeader_opensTheSameValueAsOpen(int n) throws Exception {
    List<long[][]> got =
        run(
            n,
            41,
            a -> {
              long[] x = new SplittableRandom(a.transport().selfIndex()).longs(500).toArray();
              return new long[][] {a.open("open", x), a.openThroughLeader("leader", x)};
            });
    long[] expected = new long[500];
    for (int p = 0; p < n; p++) {
      long[] x = new SplittableRandom(p).longs(500).toArray();
      for (int i = 0; i < x.length; i++) {
        expected[i] += x[i];
      }
    }
    for (long[][] g : got) {
      assertArrayEquals(expected, g[0]);
      assertArrayEquals(expected, g[1]);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void localOperations_areExact(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(100 + n);
    long[] x = signedValues(rnd, 500, 64, Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1);
    long[] y = signedValues(rnd, 500, 64, 1, Long.MAX_VALUE, -1, Long.MIN_VALUE, 0);
    long[] c = signedValues(rnd, 500, 64);
    long k = rnd.nextLong();
    long[][] xs = share(x, n, rnd);
    long[][] ys = share(y, n, rnd);
    List<long[][]> got =
        run(
            n,
            1,
            a -> {
              int me = a.transport().selfIndex();
              return new long[][] {
                a.add(xs[me], ys[me]),
                a.sub(xs[me], ys[me]),
                a.addPublic(xs[me], c),
                a.addPublic(xs[me], k),
                a.mulPublic(xs[me], k),
                a.fromPublic(c)
              };
            });
    long[][] expected = new long[6][x.length];
    for (int i = 0; i < x.length; i++) {
      expected[0][i] = x[i] + y[i];
      expected[1][i] = x[i] - y[i];
      expected[2][i] = x[i] + c[i];
      expected[3][i] = x[i] + k;
      expected[4][i] = x[i] * k;
      expected[5][i] = c[i];
    }
    for (int op = 0; op < expected.length; op++) {
      assertArrayEquals(expected[op], reveal(column(got, op)), "operation " + op);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void inputAndOpen_roundTrip(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(200 + n);
    long[][] inputs = new long[n][];
    for (int p = 0; p < n; p++) {
      inputs[p] = signedValues(rnd, 300, 64, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1);
    }
    String receiver = StudyHarness.parties(n).get(n - 1);
    List<long[][]> got =
        run(
            n,
            2,
            a -> {
              Transport t = a.transport();
              int me = t.selfIndex();
              long[][] out = new long[2 * n + 1][];
              for (int p = 0; p < n; p++) {
                String step = "in/" + p;
                long[] mine =
                    p == me
                        ? a.inputOwn(step, inputs[me])
                        : a.inputFrom(step, t.parties().get(p), inputs[p].length);
                out[p] = a.open("open/" + p, mine);
              }
              long[][] all = a.inputAll("all", inputs[me]);
              long[] total = new long[inputs[me].length];
              for (int p = 0; p < n; p++) {
                out[n + p] = a.open("open-all/" + p, all[p]);
                total = a.add(total, all[p]);
              }
              out[2 * n] = a.openTo("to-one", receiver, total);
              return out;
            });
    long[] total = new long[300];
    for (long[] in : inputs) {
      for (int i = 0; i < total.length; i++) {
        total[i] += in[i];
      }
    }
    for (int me = 0; me < n; me++) {
      long[][] mine = got.get(me);
      for (int p = 0; p < n; p++) {
        assertArrayEquals(inputs[p], mine[p], "inputOwn/inputFrom of party " + p);
        assertArrayEquals(inputs[p], mine[n + p], "inputAll of party " + p);
      }
      if (me == n - 1) {
        assertArrayEquals(total, mine[2 * n], "openTo at the receiver");
      } else {
        assertNull(mine[2 * n], "openTo elsewhere");
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void mul_isExactInTheRing(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(300 + n);
    long[] x = signedValues(rnd, 3000, 64, Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, -1);
    long[] y = signedValues(rnd, 3000, 64, Long.MIN_VALUE, -1, Long.MAX_VALUE, 7, 0, -1);
    long[][] xs = share(x, n, rnd);
    long[][] ys = share(y, n, rnd);
    List<long[][]> got =
        run(
            n,
            3,
            a -> {
              int me = a.transport().selfIndex();
              long before = a.transport().bytesSent();
              long[] z = a.mul("mul", xs[me], ys[me]);
              long bytes = a.transport().bytesSent() - before;
              return new long[][] {z, a.square("sq", xs[me]), {bytes}};
            });
    long[] product = new long[x.length];
    long[] square = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      product[i] = x[i] * y[i];
      square[i] = x[i] * x[i];
    }
    assertArrayEquals(product, reveal(column(got, 0)));
    assertArrayEquals(square, reveal(column(got, 1)));
    long payload = 2L * x.length * Long.BYTES * (n - 1);
    for (long[][] g : got) {
      long bytes = g[2][0];
      assertTrue(bytes >= payload && bytes < payload + 1000L * (n - 1), "mul sent " + bytes);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void mulFixed_isWithinOneUnitOfTheEncodedProduct(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(400 + n);
    // |x·y| < 2^(62−2f) = 4 194 304 is the documented range
    double big = 2047.99;
    long[] x = encodeUniform(rnd, 3000, 2000, 0, UNIT, -UNIT, 1, -1, big, -big, big, 0.5, -3.75);
    long[] y = encodeUniform(rnd, 3000, 2000, 5, UNIT, UNIT, -1, -1, big, big, -big, 0.5, 1e-3);
    double c = -3.14159;
    long[][] xs = share(x, n, rnd);
    long[][] ys = share(y, n, rnd);
    List<long[][]> got =
        run(
            n,
            4,
            a -> {
              int me = a.transport().selfIndex();
              return new long[][] {
                a.mulFixed("mulf", xs[me], ys[me]),
                a.squareFixed("sqf", xs[me]),
                a.mulPublicFixed("mulc", xs[me], c)
              };
            });
    long[] z = reveal(column(got, 0));
    long[] sq = reveal(column(got, 1));
    long[] zc = reveal(column(got, 2));
    long cEnc = FP.encode(c);
    for (int i = 0; i < x.length; i++) {
      assertFloorOrOneMore(x[i] * y[i], F, z[i], "mulFixed " + i);
      assertFloorOrOneMore(x[i] * x[i], F, sq[i], "squareFixed " + i);
      assertFloorOrOneMore(x[i] * cEnc, F, zc[i], "mulPublicFixed " + i);
      double xd = FP.decode(x[i]);
      double yd = FP.decode(y[i]);
      // within one unit of the product of the encoded values (plus double rounding)
      assertTrue(Math.abs(FP.decode(z[i]) - xd * yd) <= UNIT + 1e-9, "mulFixed " + i);
      // against the real c, encoding c adds |x|·2^−(f+1)
      double bound = UNIT * (1 + Math.abs(xd) / 2) + 1e-9;
      assertTrue(Math.abs(FP.decode(zc[i]) - xd * c) <= bound, "mulPublicFixed " + i);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void dot_isWithinOneUnitOfTheEncodedSum(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(500 + n);
    int rows = 400;
    long[][] x = new long[rows][];
    long[][] y = new long[rows][];
    for (int i = 0; i < rows; i++) {
      int len = i == 0 ? 0 : 1 + rnd.nextInt(20);
      x[i] = encodeUniform(rnd, len, 100);
      y[i] = encodeUniform(rnd, len, 100);
    }
    long[][][] xs = new long[n][rows][];
    long[][][] ys = new long[n][rows][];
    for (int i = 0; i < rows; i++) {
      long[][] sx = share(x[i], n, rnd);
      long[][] sy = share(y[i], n, rnd);
      for (int p = 0; p < n; p++) {
        xs[p][i] = sx[p];
        ys[p][i] = sy[p];
      }
    }
    long[] z =
        reveal(
            run(
                n,
                5,
                a -> a.dot("dot", xs[a.transport().selfIndex()], ys[a.transport().selfIndex()])));
    assertEquals(rows, z.length);
    assertEquals(0, z[0], "empty row");
    for (int i = 0; i < rows; i++) {
      long sum = 0;
      for (int j = 0; j < x[i].length; j++) {
        sum += x[i][j] * y[i][j];
      }
      assertFloorOrOneMore(sum, F, z[i], "row " + i);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void truncate_isFloorOrOneMore(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(600 + n);
    int[] shifts = {1, 13, 20, 41, 62};
    long max = (1L << 62) - 1;
    long[][] xs = new long[shifts.length][];
    for (int k = 0; k < shifts.length; k++) {
      long m = 1L << shifts[k];
      long q = rnd.nextLong() >> Math.min(63, 2 + shifts[k]);
      xs[k] =
          signedValues(
              rnd, 2000, 63, 0, -1, 1, max, -max, -max - 1, m, -m, m - 1, -m + 1, m + 1, -m - 1,
              q * m, q * m - 1, q * m + 1, m + m / 4);
    }
    long[][][] shares = new long[shifts.length][][];
    for (int k = 0; k < shifts.length; k++) {
      shares[k] = share(xs[k], n, rnd);
    }
    List<long[][]> got =
        run(
            n,
            6,
            a -> {
              long[][] out = new long[shifts.length][];
              for (int k = 0; k < shifts.length; k++) {
                out[k] =
                    a.truncate(
                        "trunc/" + shifts[k], shares[k][a.transport().selfIndex()], shifts[k]);
              }
              return out;
            });
    for (int k = 0; k < shifts.length; k++) {
      long[] z = reveal(column(got, k));
      for (int i = 0; i < z.length; i++) {
        assertFloorOrOneMore(xs[k][i], shifts[k], z[i], "shift " + shifts[k] + " element " + i);
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {3})
  void truncate_roundsWithoutBias(int n) throws Exception {
    int count = 4000;
    // −7.25 = −8 + 0.75: rounds up to −7 with probability 3/4, so the mean is exactly −7.25
    long x = FP.encode(-7.25);
    long[] v = new long[count];
    Arrays.fill(v, x);
    long[][] shares = share(v, n, new SplittableRandom(700));
    long[] z = reveal(run(n, 7, a -> a.truncate("t", shares[a.transport().selfIndex()], F)));
    int up = 0;
    for (long zi : z) {
      assertFloorOrOneMore(x, F, zi, "truncate");
      up += (int) (zi - (x >> F));
    }
    double rate = up / (double) count;
    double sd = Math.sqrt(0.25 * 0.75 / count);
    assertTrue(Math.abs(rate - 0.75) < 6 * sd, "rounded up " + rate + ", expected 0.75");
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void lessThanZero_matchesSign(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(800 + n);
    long max = (1L << 62) - 1;
    long[] x =
        signedValues(
            rnd,
            1500,
            63,
            0,
            -1,
            1,
            max,
            -max,
            -max - 1,
            2,
            -2,
            1L << 61,
            -(1L << 61),
            FP.encode(1e-6),
            FP.encode(-1e-6));
    long[] y = signedValues(rnd, 1500, 62, 0, 0, -1, 5);
    long[] y2 = y.clone();
    // x = y exactly, and x a unit either side of y
    long[] x2 = y.clone();
    for (int i = 0; i < x2.length; i++) {
      x2[i] += (i % 3) - 1;
    }
    long[][] xs = share(x, n, rnd);
    long[][] x2s = share(x2, n, rnd);
    long[][] ys = share(y2, n, rnd);
    List<long[][]> got =
        run(
            n,
            8,
            a -> {
              int me = a.transport().selfIndex();
              long before = a.transport().bytesSent();
              long[] ltz = a.lessThanZero("ltz", xs[me]);
              long bytes = a.transport().bytesSent() - before;
              return new long[][] {ltz, a.lessThan("lt", x2s[me], ys[me]), {bytes}};
            });
    long[] ltz = reveal(column(got, 0));
    long[] lt = reveal(column(got, 1));
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i] < 0 ? 1 : 0, ltz[i], "lessThanZero(" + x[i] + ")");
      assertEquals(x2[i] < y[i] ? 1 : 0, lt[i], "lessThan(" + x2[i] + ", " + y[i] + ")");
    }
    long payload = 235L * x.length * Long.BYTES * (n - 1);
    for (long[][] g : got) {
      long bytes = g[2][0];
      assertTrue(
          bytes >= payload && bytes < payload * 1.01 + 2000L * (n - 1), "comparison sent " + bytes);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void sigmoid_isWithinStatedError(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(900 + n);
    List<Double> points = new ArrayList<>();
    for (int i = -1200; i <= 1200; i++) {
      points.add(i / 100.0);
    }
    double limit = FP.limit() - 6;
    for (double e :
        new double[] {
          5, -5, 5 - UNIT, -5 - UNIT, 5 + UNIT, -5 + UNIT, 1e3, -1e3, 1e9, -1e9, limit, -limit
        }) {
      points.add(e);
    }
    for (int i = 0; i < 500; i++) {
      points.add((2 * rnd.nextDouble() - 1) * 6);
    }
    double[] real = points.stream().mapToDouble(Double::doubleValue).toArray();
    long[] x = FP.encode(real);
    long[][] xs = share(x, n, rnd);
    long[] z = reveal(run(n, 9, a -> a.sigmoid("sig", xs[a.transport().selfIndex()])));
    double fixedPointError = 4 * UNIT;
    for (int i = 0; i < x.length; i++) {
      double got = FP.decode(z[i]);
      double plain = Arithmetic.sigmoidPlain(FP.decode(x[i]));
      assertTrue(
          Math.abs(got - plain) <= fixedPointError,
          "sigmoid(" + real[i] + ") = " + got + ", plaintext approximation " + plain);
      double logistic = 1 / (1 + Math.exp(-real[i]));
      assertTrue(
          Math.abs(got - logistic) <= Arithmetic.SIGMOID_MAX_ERROR + fixedPointError + UNIT,
          "sigmoid(" + real[i] + ") = " + got + ", logistic " + logistic);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void sigmoidCubic_isWithinStatedErrorOfThePlainCubic(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(950 + n);
    List<Double> points = new ArrayList<>();
    for (int i = -1500; i <= 1500; i++) {
      points.add(i / 100.0);
    }
    for (int i = 0; i < 500; i++) {
      points.add((2 * rnd.nextDouble() - 1) * 39);
    }
    double[] real = points.stream().mapToDouble(Double::doubleValue).toArray();
    // inputs at scale 2^(2f), as a product of two fixed-point values arrives
    long[] x = new long[real.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(Math.scalb(real[i], 2 * F));
    }
    long[][] xs = share(x, n, rnd);
    long[] z =
        reveal(run(n, 19, a -> a.sigmoidCubic("cubic", xs[a.transport().selfIndex()], 2 * F)));
    for (int i = 0; i < x.length; i++) {
      double got = FP.decode(z[i]);
      double plain = Arithmetic.sigmoidCubicPlain(real[i]);
      double bound = Math.abs(real[i]) <= 8 ? 2.2e-4 + 2 * UNIT : 2.2e-4 + 1e-5 * real[i] * real[i];
      assertTrue(
          Math.abs(got - plain) <= bound,
          "cubic(" + real[i] + ") = " + got + ", plaintext cubic " + plain);
      if (Math.abs(real[i]) <= 8) {
        double logistic = 1 / (1 + Math.exp(-real[i]));
        assertTrue(Math.abs(got - logistic) <= 0.115 + 2.2e-4 + 2 * UNIT, "at " + real[i]);
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void maskedRows_productsAreExactInTheRing(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(1100 + n);
    int cols = 7;
    int[] rowsByOwner = new int[n];
    int total = 0;
    for (int q = 0; q < n; q++) {
      // one owner has no rows in this block
      rowsByOwner[q] = q == 1 ? 0 : 20 + rnd.nextInt(40);
      total += rowsByOwner[q];
    }
    long[][] owned = new long[n][];
    long[] all = new long[total * cols];
    int at = 0;
    for (int q = 0; q < n; q++) {
      owned[q] = signedValues(rnd, rowsByOwner[q] * cols, 30);
      System.arraycopy(owned[q], 0, all, at, owned[q].length);
      at += owned[q].length;
    }
    long[] w = signedValues(rnd, cols, 30, 0, 1, -1);
    long[] e = signedValues(rnd, total, 30, 0, 1, -1);
    long[][] ws = share(w, n, rnd);
    long[][] es = share(e, n, rnd);
    final int rows = total;
    List<long[][]> got =
        run(
            n,
            11,
            a -> {
              int me = a.transport().selfIndex();
              MaskedRows m = MaskedRows.mask(a, "block", rowsByOwner, cols, owned[me]);
              assertEquals(rows, m.rows());
              long before = a.transport().bytesSent();
              long[] y = m.timesRaw("fwd", ws[me]);
              long fwdBytes = a.transport().bytesSent() - before;
              long[] g = m.transposeTimesRaw("bwd", es[me]);
              long[] y2 = m.timesRaw("fwd2", ws[me]);
              return new long[][] {y, g, y2, {fwdBytes}};
            });
    long[] y = reveal(column(got, 0));
    long[] g = reveal(column(got, 1));
    long[] y2 = reveal(column(got, 2));
    for (int i = 0; i < total; i++) {
      long exact = 0;
      for (int j = 0; j < cols; j++) {
        exact += all[i * cols + j] * w[j];
      }
      assertEquals(exact, y[i], "row " + i + " of X·w");
      assertEquals(exact, y2[i], "row " + i + " of X·w, second product with the same mask");
    }
    for (int j = 0; j < cols; j++) {
      long exact = 0;
      for (int i = 0; i < total; i++) {
        exact += all[i * cols + j] * e[i];
      }
      assertEquals(exact, g[j], "column " + j + " of Xᵀ·e");
    }
    long payload = (long) cols * Long.BYTES * (n - 1);
    for (long[][] p : got) {
      assertTrue(
          p[3][0] >= payload && p[3][0] < payload + 500L * (n - 1),
          "a forward product sent " + p[3][0] + " bytes, the rows are " + total * cols * 8);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void maskedMatrix_isWithinOneUnitAndCostsNodesNotEdges(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(1000 + n);
    int nodes = 1000;
    int edges = 6000;
    int[] src = new int[edges];
    int[] dst = new int[edges];
    for (int e = 0; e < edges; e++) {
      src[e] = rnd.nextInt(nodes);
      // leave the last nodes without incoming edges
      dst[e] = rnd.nextInt(nodes - 10);
    }
    long[] w = encodeUniform(rnd, edges, 1, 1, -1, UNIT, 0);
    long[][] x = {
      encodeUniform(rnd, nodes, 100, 100, -100, 0),
      encodeUniform(rnd, nodes, 1000),
      encodeUniform(rnd, nodes, 50)
    };
    long[][] ws = share(w, n, rnd);
    long[][][] xs = new long[x.length][][];
    for (int k = 0; k < x.length; k++) {
      xs[k] = share(x[k], n, rnd);
    }
    List<long[][]> got =
        run(
            n,
            10,
            a -> {
              int me = a.transport().selfIndex();
              MaskedMatrix m = a.maskMatrix("adj", src, dst, nodes, ws[me]);
              assertNotNull(m);
              long before = a.transport().bytesSent();
              long[] y0 = m.times("it/0", xs[0][me]);
              long bytes = a.transport().bytesSent() - before;
              long[] y1 = m.times("it/1", xs[1][me]);
              long[] yt = m.transposeTimes("it/t", xs[2][me]);
              return new long[][] {y0, y1, yt, {bytes}};
            });
    for (int k = 0; k < x.length; k++) {
      long[] y = reveal(column(got, k));
      boolean transposed = k == 2;
      long[] exact = new long[nodes];
      for (int e = 0; e < edges; e++) {
        int from = transposed ? dst[e] : src[e];
        int to = transposed ? src[e] : dst[e];
        exact[to] += w[e] * x[k][from];
      }
      for (int i = 0; i < nodes; i++) {
        assertFloorOrOneMore(exact[i], F, y[i], "product " + k + " node " + i);
      }
      if (!transposed) {
        for (int i = nodes - 10; i < nodes; i++) {
          assertEquals(0, y[i], "node without incoming edges");
        }
      }
    }
    long payload = 2L * nodes * Long.BYTES * (n - 1);
    for (long[][] g : got) {
      long bytes = g[3][0];
      assertTrue(
          bytes >= payload && bytes < payload + 1000L * (n - 1),
          "one product sent " + bytes + " bytes; edges alone would be " + edges * Long.BYTES);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void bitComparison_isExactForBoundedInputs(int n) throws Exception {
    for (int bound : new int[] {1, 7, 34, 60}) {
      SplittableRandom rnd = new SplittableRandom(1000 * bound + n);
      long limit = 1L << bound;
      long[] t = {0, 1, -1, limit - 1, -(limit - 1), rnd.nextLong() % limit};
      long[] x = new long[700];
      for (int i = 0; i < x.length; i++) {
        long v = rnd.nextLong() % limit;
        // many values at and next to each threshold
        x[i] = i < 6 * t.length ? t[i % t.length] + (i / t.length) % 3 - 1 : v;
        x[i] = Math.max(-(limit - 1), Math.min(limit - 1, x[i]));
      }
      long[][] xs = share(x, n, rnd);
      List<long[][]> got =
          run(
              n,
              bound,
              a -> BitComparison.atLeast(a, "cmp", xs[a.transport().selfIndex()], bound, t));
      for (int j = 0; j < t.length; j++) {
        long[] bit = reveal(column(got, j));
        for (int i = 0; i < x.length; i++) {
          assertEquals(
              x[i] >= t[j] ? 1 : 0, bit[i], x[i] + " ≥ " + t[j] + " (bound " + bound + ")");
        }
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3, 5})
  void sigmoidClamped_isInRangeMonotoneAndWithinStatedErrorForEveryInput(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(1100 + n);
    List<Long> points = new ArrayList<>();
    for (int i = -1500; i <= 1500; i++) {
      points.add(Math.round(Math.scalb(i / 100.0, 2 * F)));
    }
    long unitIn = 1L << (2 * F - 10);
    long clamp = Math.round(Math.scalb(3.6, 10)) * unitIn;
    for (long e : new long[] {clamp, -clamp, clamp - unitIn, -clamp - unitIn, clamp + unitIn}) {
      points.add(e);
    }
    long limit = (1L << 62) - 1;
    for (long e :
        new long[] {limit, -limit, 1L << 61, -(1L << 61), Long.MAX_VALUE, Long.MIN_VALUE}) {
      points.add(e);
    }
    for (int i = 0; i < 800; i++) {
      points.add(rnd.nextLong()); // any ring element, most far outside the logits' range
    }
    long[] x = points.stream().mapToLong(Long::longValue).toArray();
    long[][] xs = share(x, n, rnd);
    List<long[][]> got =
        run(
            n,
            21,
            a -> {
              long before = a.transport().bytesSent();
              long[] clamped = new long[1];
              long[] z = a.sigmoidClamped("clamp", xs[a.transport().selfIndex()], 2 * F, clamped);
              return new long[][] {z, clamped, {a.transport().bytesSent() - before}};
            });
    long[] z = reveal(column(got, 0));
    long clampedCount = reveal(column(got, 1))[0];
    long expectedClamped = 0;
    double previous = -1;
    for (int i = 0; i < x.length; i++) {
      double got1 = FP.decode(z[i]);
      assertTrue(got1 >= -UNIT && got1 <= 1 + UNIT, "σ̂ of ring element " + x[i] + " = " + got1);
      if (inTruncationRange(x[i])) {
        double real = Math.scalb((double) x[i], -2 * F);
        double plain = Arithmetic.sigmoidClampedPlain(real);
        double near = Math.abs(Math.abs(real) - 3.6) < 2e-3 ? 2e-5 : 0;
        assertTrue(
            Math.abs(got1 - plain) <= 2.1e-4 + 2 * UNIT + near,
            "σ̂(" + real + ") = " + got1 + ", plaintext " + plain);
        double logistic = 1 / (1 + Math.exp(-real));
        assertTrue(
            Math.abs(got1 - logistic) <= ClampedCubicSigmoid.MAX_ERROR + 2.1e-4 + 2 * UNIT,
            "σ̂(" + real + ") = " + got1 + ", logistic " + logistic);
        if (i <= 3000) {
          // the grid comes first, in increasing order: monotone up to the fixed-point error
          assertTrue(got1 >= previous - 3e-4, "decreases at " + real);
          previous = got1;
        }
        long u = Math.floorDiv(x[i], unitIn);
        // the clamp decides on the truncated input, which may be one unit more than the floor
        if (u >= clamp / unitIn || u < -clamp / unitIn - 1) {
          expectedClamped++;
        }
      }
    }
    long valid = Arrays.stream(x).filter(ArithmeticConformance::inTruncationRange).count();
    assertTrue(
        clampedCount >= expectedClamped - 4
            && clampedCount <= expectedClamped + 4 + x.length - valid,
        "clamped " + clampedCount + ", expected about " + expectedClamped);
    // per value 6 ring elements (truncations 2, powers and comparison masks 2, product 2), and per
    // 64 values 2·132 words of AND openings and 2 words for the bits: 10.16 elements per value
    double perValue = 6 + (2 * 132 + 2) / 64.0;
    long payload = Math.round(perValue * x.length * Long.BYTES * (n - 1));
    for (long[][] g : got) {
      long bytes = g[2][0];
      assertTrue(
          bytes >= payload * 0.98 && bytes < payload * 1.02 + 4000L * (n - 1),
          "clamped sigmoid sent " + bytes + " bytes, expected about " + payload);
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3})
  void sigmoidClamped_withAGain_isTheGainTimesTheSigmoid(int n) throws Exception {
    SplittableRandom rnd = new SplittableRandom(1200 + n);
    double[] real = {-50, -3.7, -3.6, -2, -0.5, 0, 0.25, 1.9, 3.599, 3.6, 8, 1e5};
    long[] x = new long[real.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(Math.scalb(real[i], 2 * F));
    }
    long[][] xs = share(x, n, rnd);
    for (double gain : new double[] {1.0 / 3, 0.1, 1}) {
      long[] z =
          reveal(
              run(
                  n,
                  23,
                  a -> a.sigmoidClamped("g", xs[a.transport().selfIndex()], 2 * F, null, gain)));
      for (int i = 0; i < x.length; i++) {
        double want = gain * Arithmetic.sigmoidClampedPlain(real[i]);
        assertEquals(want, FP.decode(z[i]), 2.1e-4 + 2 * UNIT, "gain " + gain + " at " + real[i]);
      }
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3})
  void sigmoidClamped_partyViewIsUniformWhateverTheInput(int n) throws Exception {
    // a logit inside the cubic's range, and one far beyond the clamp
    long[] constants = {Math.round(Math.scalb(0.5, 2 * F)), Math.round(Math.scalb(1000.0, 2 * F))};
    long[][] views =
        viewsOfConstantInputs(
            n, 13, 2048, constants, (a, x) -> a.sigmoidClamped("sig", x, 2 * F, null));
    // the comparison's opening is reduced modulo 2^36 and padded with private random bits
    assertUniformAndAlike(views);
  }

  /** Whether {@link Arithmetic#truncate} is exact on x: −2^62 ≤ x &lt; 2^62. */
  private static boolean inTruncationRange(long x) {
    return x >= -(1L << 62) && x < 1L << 62;
  }

  /**
   * What party 1 receives when party 0 inputs a vector of {@code len} copies of each constant and
   * every party runs {@code protocol} on the shares: one view per constant.
   */
  private long[][] viewsOfConstantInputs(
      int n, long seed, int len, long[] constants, BiFunction<Arithmetic, long[], long[]> protocol)
      throws Exception {
    long[][] views = new long[constants.length][];
    for (int c = 0; c < constants.length; c++) {
      long[] v = new long[len];
      Arrays.fill(v, constants[c]);
      views[c] =
          viewOfParty1(
              n,
              seed,
              a -> {
                Transport t = a.transport();
                long[] x =
                    t.selfIndex() == 0
                        ? a.inputOwn("in", v)
                        : a.inputFrom("in", t.parties().get(0), len);
                return protocol.apply(a, x);
              });
    }
    return views;
  }

  /** What party 1 receives while every party runs {@code protocol}. */
  private long[] viewOfParty1(int n, long seed, Function<Arithmetic, long[]> protocol)
      throws Exception {
    try (StudyHarness.Study s = newStudy(StudyHarness.parties(n))) {
      List<Transport> ts = new ArrayList<>(s.transports());
      RecordingTransport party1 = new RecordingTransport(ts.get(1));
      ts.set(1, party1);
      run(
          new StudyHarness.Study() {
            @Override
            public List<Transport> transports() {
              return ts;
            }

            @Override
            public List<CorrelatedRandomness> randomness() {
              return s.randomness();
            }

            @Override
            public void close() {}
          },
          seed,
          protocol);
      return party1.received();
    }
  }

  @ParameterizedTest(name = "N = {0}")
  @ValueSource(ints = {2, 3})
  void partyView_isUniformWhateverTheInput(int n) throws Exception {
    int len = 4096;
    long[][] views =
        viewsOfConstantInputs(
            n, 11, len, new long[] {0, FP.encode(2047.0)}, (a, x) -> a.mulFixed("mul", x, x));
    for (long[] view : views) {
      assertTrue(view.length >= 3 * len, "view of " + view.length + " elements");
    }
    assertUniformAndAlike(views);
  }

  /**
   * Every view's low byte and each of its 64 bits are uniform, and the first two views' low bytes
   * have the same distribution (255 degrees of freedom: mean 255, standard deviation 22.6).
   */
  private static void assertUniformAndAlike(long[][] views) {
    for (long[] view : views) {
      assertTrue(ChiSquare.uniformLowByte(view) < 255 + 8 * 22.6, "low byte not uniform");
      for (int bit = 0; bit < 64; bit++) {
        assertTrue(Math.abs(ChiSquare.bitZScore(view, bit)) < 6, "bit " + bit + " not uniform");
      }
    }
    assertTrue(
        ChiSquare.sameLowByteDistribution(views[0], views[1]) < 255 + 8 * 22.6,
        "the view depends on the input");
  }

  /** Records what one party receives, to test what it learns. */
  private static final class RecordingTransport implements Transport {
    private final Transport inner;
    private final List<long[]> received = new ArrayList<>();

    RecordingTransport(Transport inner) {
      this.inner = inner;
    }

    synchronized long[] received() {
      return received.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Override
    public String studyId() {
      return inner.studyId();
    }

    @Override
    public String self() {
      return inner.self();
    }

    @Override
    public List<String> parties() {
      return inner.parties();
    }

    @Override
    public void send(String to, String step, Batch.Kind kind, long[] values) {
      inner.send(to, step, kind, values);
    }

    @Override
    public long[] receive(String from, String step) {
      long[] v = inner.receive(from, step);
      synchronized (this) {
        received.add(v.clone());
      }
      return v;
    }

    @Override
    public long bytesSent() {
      return inner.bytesSent();
    }
  }
}
