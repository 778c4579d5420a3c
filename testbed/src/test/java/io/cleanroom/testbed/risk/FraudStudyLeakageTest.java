package io.cleanroom.testbed.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cleanroom.node.data.AlertLevel;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.Customers;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.LinkageUpload;
import io.cleanroom.protocol.wire.v1.RandomnessBatch;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs one whole {@code fraud-study} (link, propagate, train, evaluate) with transcripts and
 * checks, on the raw bytes every party received from another party:
 *
 * <ol>
 *   <li>no bank receives another bank's plaintext: national ids, emails, phones, device ids, every
 *       field of customers.csv, account numbers (bare and bank-qualified), alert flags as they
 *       appear in alerts.csv, transaction amounts as text and as 8-byte encodings (double, fixed
 *       point with the plan's fraction bits, integer cents); inside the ring-element payloads also
 *       the bank's per-bank counts (accounts, transactions, alert accounts) and the plaintext
 *       encodings of a flag or label (1 and fixed-point 1.0) as 8-byte little-endian words;
 *   <li>the coordinator receives none of those values either (it receives no ring payloads, so the
 *       word needles say nothing there; the per-bank number of accounts it legitimately receives as
 *       a varint in the linkage sizes, and counts are not searched in varint form, which is too
 *       short to rule out chance matches);
 *   <li>every ring-element payload a party receives is indistinguishable from uniform: a chi-square
 *       test (commons-math3) on the 256 byte values and on the 256 values of the top byte of each
 *       64-bit word, per step family and pooled per party, must give p &gt; {@value #MIN_P}, and
 *       the fraction of set bits must be within 6 standard deviations of 1/2.
 * </ol>
 *
 * <p>Transcripts are one file per sender and gRPC method ({@code <from>-<method>.bin}) of
 * length-delimited protobuf messages. The uniformity test covers, by method and step:
 *
 * <ul>
 *   <li>{@code Exchange} batches between banks, every step ({@code link/key}, {@code risk/*},
 *       {@code train/*}, {@code eval/*}), both kinds: {@code SHARES} are additive shares of a
 *       sender's input or of masked values, {@code OPENING} is the sender's share of a value being
 *       opened (masked differences D = x − a in Beaver multiplications, truncations and row triples
 *       are uniform too, and so is a share of an opened result); the opened value itself is summed
 *       by the receiver and never on the wire;
 *   <li>{@code Randomness} batches a bank receives from the dealer (its shares of triples and
 *       masks; only the first party receives them as payloads, the others derive theirs from a
 *       32-byte seed);
 *   <li>at the coordinator, the 16-byte blinded values of linkage uploads (identifiers, account
 *       numbers, counterparties), which are keyed hashes; each distinct value counted once, since
 *       repeats (one per edge or holder) are graph structure the coordinator learns anyway.
 * </ul>
 *
 * <p>Excluded from the uniformity test because they legitimately are not uniform: the control
 * sessions ({@code Session}: plan, step starts, step reports with opened aggregates and opened
 * model weights, log checkpoints), the joint graph the coordinator sends ({@code JointGraph}:
 * structure, handles, sizes), the labels, kinds and sizes of linkage uploads, randomness requests
 * (sizes and the edge sources of the joint graph), exchange receipts, party/owner seeds (32 bytes,
 * too few to test), and the operator's calls. They are still searched for plaintext.
 *
 * <p>What the uniformity test catches: a step that sent plaintext small integers (counts, flags,
 * labels, indices) or fixed-point values (amounts, features, scores, weights) instead of shares
 * puts almost all of its words' top bytes at 0x00 or 0xff and most of its bytes at 0x00, which
 * fails both histograms by hundreds of orders of magnitude ({@link
 * #uniformityCheckRejectsPlaintextFixedPoint} shows it); so does a share masked with a biased or
 * short mask. It does not catch a uniform-looking but wrong mask (e.g. one reused across steps).
 */
class FraudStudyLeakageTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");
  private static final List<String> PARTIES = List.of("bank-a", "bank-b", "bank-c", "coordinator");

  /** The plan's fraction bits (the coordinator's default). */
  private static final int FRACTION_BITS = FixedPoint.DEFAULT_FRACTION_BITS;

  /**
   * Significance of each chi-square test. About 300 tests run, so a correct study fails one by
   * chance with probability about 3e-4, while a plaintext step gives p far below 1e-100.
   */
  static final double MIN_P = 1e-6;

  /** Bytes needed before a histogram is tested: at least 10 expected counts in each of 256 bins. */
  private static final int MIN_SAMPLES = 2560;

  @TempDir static Path temp;
  private static Path data;
  private static Path transcripts;

  @BeforeAll
  static void runStudy() throws Exception {
    data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 4500, 11));
    transcripts = temp.resolve("transcripts");
    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, temp.resolve("out"), true)
                .withTask(Tasks.FRAUD_STUDY, Map.of())
                .withTranscripts(transcripts),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));
    assertTrue(summary.containsKey("model"), "the study trained no model: " + summary.keySet());
  }

  // ---------------------------------------------------------------- plaintext search

  @Test
  void noPartyReceivesAnotherBanksPlaintext() throws Exception {
    for (String bank : BANKS) {
      Needles n = plaintextOf(data, bank);
      assertTrue(n.anywhere.size() > 5000, bank + " has only " + n.anywhere.size() + " needles");
      assertTrue(n.words.size() > 1000, bank + " has only " + n.words.size() + " word needles");
      // the searches work: the bank's own files contain its values
      for (String file : List.of("customers.csv", "accounts.csv", "alerts.csv")) {
        assertFalse(
            n.anywhere.find(Files.readAllBytes(data.resolve(bank).resolve(file))).isEmpty(), file);
      }
      // and so does the word search, on a payload carrying the bank's account count
      ByteArrayOutputStream planted = new ByteArrayOutputStream();
      planted.writeBytes(new byte[64]);
      planted.writeBytes(
          ByteBuffer.allocate(8)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putLong(BankData.load(data.resolve(bank), bank).accountCount())
              .array());
      assertEquals(
          1, new Received(new byte[0], Map.of("exchange x", planted)).wordsEqualTo(n.words).size());
      System.out.printf(
          "%s: %d byte needles, %d word needles%n", bank, n.anywhere.size(), n.words.size());
      for (String receiver : PARTIES) {
        if (receiver.equals(bank)) {
          continue;
        }
        Received r = Received.of(transcripts.resolve(receiver));
        assertTrue(r.all.length > 10_000, receiver + " received almost nothing: " + r.all.length);
        List<byte[]> found = n.anywhere.find(r.all);
        assertTrue(
            found.isEmpty(),
            () ->
                receiver
                    + " received "
                    + found.size()
                    + " plaintext values of "
                    + bank
                    + ": "
                    + ByteSearch.describe(found));
        List<Long> words = r.wordsEqualTo(n.words);
        assertTrue(
            words.isEmpty(),
            () ->
                receiver
                    + " received plaintext words of "
                    + bank
                    + " in ring payloads: "
                    + words.subList(0, Math.min(5, words.size())));
      }
    }
  }

  /** A bank's needles: byte strings searched anywhere, 64-bit words searched in payloads. */
  private record Needles(ByteSearch anywhere, Set<Long> words) {}

  /**
   * Every identifier, account number, flag, amount and count of {@code bank}.
   *
   * <p>Why no needle matches by chance: text needles are at least {@value ByteSearch#MIN} bytes of
   * the bank's own data (ids, emails, phones, device ids, account numbers, amounts with their two
   * decimals, alert rows), which nothing else in a transcript spells out. Binary encodings searched
   * anywhere have at most 3 zero bytes: where the received bytes are uniform (payloads, blinded
   * values, seeds) a match at a given position has probability 2^-64, so ~10^7 positions times
   * ~10^5 needles give less than 10^-7; protobuf framing (tags, varints, strings) does not produce
   * 8-byte runs with 5 or more arbitrary non-zero bytes. Integers with 4 or more zero bytes
   * (counts, round amounts, the ring element 1 and fixed-point 1.0) are searched only as whole
   * aligned 64-bit words of ring payloads, which are uniform: ~10^6 words × ~10^5 needles / 2^64
   * &lt; 10^-8, so any hit means a plaintext word.
   */
  private static Needles plaintextOf(Path data, String bank) throws Exception {
    ByteSearch s = new ByteSearch();
    Set<Long> words = new HashSet<>();
    Path dir = data.resolve(bank);
    BankData d = BankData.load(dir, bank);
    Customers c = d.customers();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < c.count(); i++) {
      texts.add(c.nationalId(i));
      texts.add(c.email(i));
      texts.add(c.phone(i));
      texts.addAll(c.devices(i));
    }
    for (String line : Files.readAllLines(dir.resolve("customers.csv"))) {
      texts.addAll(List.of(line.split(",")));
    }
    for (int a = 0; a < d.accountCount(); a++) {
      texts.add(d.accountId(a));
      texts.add(bank + "/" + d.accountId(a));
    }
    // alert flags as they appear in alerts.csv: the whole row and "account,level"
    List<String> alerts = Files.readAllLines(dir.resolve("alerts.csv"));
    for (String line : alerts.subList(1, alerts.size())) {
      texts.add(line);
      String[] f = line.split(",");
      texts.add(f[0] + "," + f[1]);
    }
    List<String> tx = Files.readAllLines(dir.resolve("transactions.csv"));
    int amount = List.of(tx.get(0).split(",")).indexOf("amount");
    for (String line : tx.subList(1, tx.size())) {
      String a = line.split(",")[amount];
      texts.add(a);
      double v = Double.parseDouble(a);
      long fixed = Math.round(v * (1L << FRACTION_BITS));
      long cents = Math.round(v * 100);
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        s.addBinary(ByteBuffer.allocate(8).order(order).putDouble(v).array());
        s.addBinary(ByteBuffer.allocate(8).order(order).putLong(fixed).array());
        s.addBinary(ByteBuffer.allocate(8).order(order).putLong(cents).array());
      }
      words.addAll(List.of(fixed, -fixed, cents, Math.round(v)));
    }
    // per-bank counts and a plaintext flag/label as a ring element
    words.add((long) d.accountCount());
    words.add(d.transactionCount());
    words.add((long) d.accountsAt(AlertLevel.ALERT));
    words.add(1L);
    words.add(1L << FRACTION_BITS);
    words.remove(0L);
    for (String t : texts) {
      if (t != null && t.length() >= ByteSearch.MIN) {
        s.add(t.getBytes(StandardCharsets.UTF_8));
      }
    }
    return new Needles(s, words);
  }

  // ---------------------------------------------------------------- transcripts

  /** What one party received: all bytes, and its ring-element payloads grouped by step family. */
  private record Received(byte[] all, Map<String, ByteArrayOutputStream> uniform) {

    static Received of(Path dir) throws IOException {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      Map<String, ByteArrayOutputStream> uniform = new TreeMap<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          all.write(Files.readAllBytes(f));
          all.write(new byte[8]);
          String name = f.getFileName().toString();
          for (byte[] m : messages(f)) {
            if (name.endsWith("-Exchange.bin")) {
              Batch b = batch(m);
              if (b != null) {
                group(uniform, "exchange " + b.getHeader().getStep(), b.getPayload().toByteArray());
              }
            } else if (name.endsWith("-Randomness.bin") && !dir.endsWith("coordinator")) {
              RandomnessBatch b = RandomnessBatch.parseFrom(m);
              group(uniform, "dealer " + b.getHeader().getStep(), b.getPayload().toByteArray());
            } else if (name.endsWith("-Upload.bin") && dir.endsWith("coordinator")) {
              LinkageUpload u = LinkageUpload.parseFrom(m);
              byte[] blinded =
                  switch (u.getBodyCase()) {
                    case IDENTIFIERS -> u.getIdentifiers().getValues().toByteArray();
                    case ACCOUNTS -> u.getAccounts().getValues().toByteArray();
                    case EDGES -> u.getEdges().getCounterparties().toByteArray();
                    default -> new byte[0];
                  };
              group(uniform, "upload " + u.getBodyCase(), blinded);
            }
          }
        }
      }
      // a blinded value is sent once per edge or holder that has it, so repeats are the graph's
      // structure (which the coordinator learns anyway); the distinct values must be uniform
      uniform.replaceAll((k, v) -> k.startsWith("upload ") ? distinct16(v.toByteArray()) : v);
      return new Received(all.toByteArray(), uniform);
    }

    private static ByteArrayOutputStream distinct16(byte[] b) {
      Set<String> seen = new HashSet<>();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i + 16 <= b.length; i += 16) {
        byte[] v = Arrays.copyOfRange(b, i, i + 16);
        if (seen.add(HexFormat.of().formatHex(v))) {
          out.writeBytes(v);
        }
      }
      return out;
    }

    private static void group(Map<String, ByteArrayOutputStream> groups, String step, byte[] b) {
      // one family per step name with the numbers (epochs, batches, iterations) taken out
      groups
          .computeIfAbsent(step.replaceAll("[0-9]+", "#"), k -> new ByteArrayOutputStream())
          .writeBytes(b);
    }

    /** The aligned 64-bit little-endian words of the ring payloads that are in {@code needles}. */
    List<Long> wordsEqualTo(Set<Long> needles) {
      List<Long> found = new ArrayList<>();
      for (Map.Entry<String, ByteArrayOutputStream> g : uniform.entrySet()) {
        if (g.getKey().startsWith("upload ")) {
          continue; // 16-byte blinded values, not ring elements
        }
        ByteBuffer b = ByteBuffer.wrap(g.getValue().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 8) {
          long w = b.getLong();
          if (needles.contains(w)) {
            found.add(w);
          }
        }
      }
      return found;
    }
  }

  /** The length-delimited messages of one transcript file. */
  private static List<byte[]> messages(Path f) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(f)) {
      CodedInputStream c = CodedInputStream.newInstance(in);
      c.setSizeLimit(Integer.MAX_VALUE);
      while (!c.isAtEnd()) {
        out.add(c.readRawBytes(c.readRawVarint32()));
        c.resetSizeCounter();
      }
    }
    return out;
  }

  /**
   * The message as a batch of ring elements, or null: a node's {@code <peer>-Exchange.bin} holds
   * both the batches the peer sent and the receipts it answered to this node's own stream.
   */
  private static Batch batch(byte[] m) {
    try {
      Batch b = Batch.parseFrom(m);
      boolean whole =
          b.hasHeader()
              && !b.getHeader().getStep().isEmpty()
              && b.getKind() != Batch.Kind.KIND_UNSPECIFIED
              && b.getPayload().size() == 8L * b.getCount();
      return whole ? b : null;
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- uniformity

  /**
   * The coordinator receives every bank's linkage upload in label order (identifiers and accounts
   * by label, each kind of edge by its own account's label), so that a label's position in the
   * stream says nothing about the account's row in the bank's tables.
   */
  @Test
  void coordinatorReceivesUploadsInLabelOrder() throws Exception {
    int files = 0;
    try (Stream<Path> list = Files.list(transcripts.resolve("coordinator"))) {
      for (Path f : list.filter(p -> p.toString().endsWith("-Upload.bin")).sorted().toList()) {
        files++;
        Map<String, List<Integer>> labels = new TreeMap<>();
        for (byte[] m : messages(f)) {
          LinkageUpload u = LinkageUpload.parseFrom(m);
          switch (u.getBodyCase()) {
            case IDENTIFIERS ->
                labels
                    .computeIfAbsent("identifiers", k -> new ArrayList<>())
                    .addAll(u.getIdentifiers().getLabelsList());
            case ACCOUNTS ->
                labels
                    .computeIfAbsent("accounts", k -> new ArrayList<>())
                    .addAll(u.getAccounts().getLabelsList());
            case EDGES -> {
              for (int i = 0; i < u.getEdges().getOwnLabelsCount(); i++) {
                labels
                    .computeIfAbsent("edges " + u.getEdges().getKinds(i), k -> new ArrayList<>())
                    .add(u.getEdges().getOwnLabels(i));
              }
            }
            default -> {}
          }
        }
        assertTrue(
            labels.keySet().containsAll(List.of("identifiers", "accounts")),
            f + ": " + labels.keySet());
        for (Map.Entry<String, List<Integer>> part : labels.entrySet()) {
          List<Integer> got = part.getValue();
          assertTrue(got.size() > 10, f + " " + part.getKey() + ": " + got.size() + " labels");
          for (int i = 1; i < got.size(); i++) {
            assertTrue(
                got.get(i - 1) <= got.get(i),
                f + " " + part.getKey() + ": label " + got.get(i) + " after " + got.get(i - 1));
          }
        }
      }
    }
    assertEquals(BANKS.size(), files, "one upload stream per bank");
  }

  @Test
  void everyPartysReceivedSharesAreUniform() throws Exception {
    StringBuilder report = new StringBuilder();
    for (String party : PARTIES) {
      Received r = Received.of(transcripts.resolve(party));
      ByteArrayOutputStream pooled = new ByteArrayOutputStream();
      int tested = 0;
      double lowest = 1;
      for (Map.Entry<String, ByteArrayOutputStream> g : r.uniform.entrySet()) {
        byte[] b = g.getValue().toByteArray();
        pooled.writeBytes(b);
        if (b.length >= MIN_SAMPLES) {
          Uniformity u = Uniformity.of(b, !g.getKey().startsWith("upload "));
          assertTrue(u.passes(), party + " " + g.getKey() + ": " + u);
          tested++;
          lowest = Math.min(lowest, Math.min(u.bytesP, u.topP));
        }
      }
      byte[] all = pooled.toByteArray();
      // every bank receives shares of train/*, risk/* and eval/* steps; the coordinator blinded ids
      assertTrue(all.length > 100_000, party + " received only " + all.length + " share bytes");
      assertTrue(
          tested >= (party.equals("coordinator") ? 2 : 10), party + ": " + r.uniform.keySet());
      if (!party.equals("coordinator")) {
        for (String phase :
            List.of("exchange link/", "exchange risk/", "exchange train/", "exchange eval/")) {
          assertTrue(
              r.uniform.keySet().stream().anyMatch(k -> k.startsWith(phase)),
              party + " received no " + phase + " batches: " + r.uniform.keySet());
        }
      }
      if (party.equals("coordinator")) {
        // a bank's blinded account number is also another bank's counterparty: pool distinct ones
        all = Received.distinct16(all).toByteArray();
      }
      Uniformity u = Uniformity.of(all, !party.equals("coordinator"));
      assertTrue(u.passes(), party + " pooled: " + u);
      report
          .append(party)
          .append(" pooled ")
          .append(u)
          .append(" over ")
          .append(tested)
          .append(" step families, lowest p ")
          .append(String.format("%.3g", lowest))
          .append('\n');
    }
    System.out.print(report);
  }

  /**
   * The check rejects what a plaintext step would send: fixed-point amounts and features, and
   * accepts additive shares of the very same values.
   */
  @Test
  void uniformityCheckRejectsPlaintextFixedPoint() {
    Random random = new Random(7);
    FixedPoint fp = new FixedPoint(FRACTION_BITS);
    int n = 20_000;
    ByteBuffer plain = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer share = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      // amounts up to a few million and standardised features, both signed
      double v = i % 2 == 0 ? Math.exp(random.nextGaussian() * 2 + 8) : random.nextGaussian();
      long x = fp.encode(i % 4 == 3 ? -v : v);
      plain.putLong(x);
      share.putLong(x - random.nextLong());
    }
    Uniformity p = Uniformity.of(plain.array(), true);
    assertFalse(p.passes(), p.toString());
    assertTrue(p.bytesP < 1e-100 && p.topP < 1e-100, p.toString());
    Uniformity s = Uniformity.of(share.array(), true);
    assertTrue(s.passes(), s.toString());

    // small integers (counts, flags) as ring elements are rejected too
    ByteBuffer counts = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      counts.putLong(random.nextInt(5000));
    }
    assertFalse(Uniformity.of(counts.array(), true).passes());
  }

  /** Chi-square p-values of the byte and top-byte histograms and the fraction of set bits. */
  record Uniformity(double bytesP, double topP, double ones, long bits) {

    static Uniformity of(byte[] b, boolean words) {
      long[] bytes = new long[256];
      long[] top = new long[256];
      long ones = 0;
      for (int i = 0; i < b.length; i++) {
        int v = b[i] & 0xff;
        bytes[v]++;
        if (words && i % 8 == 7) {
          top[v]++; // little-endian: the last byte of each word holds bits 56..63
        }
        ones += Integer.bitCount(v);
      }
      ChiSquareTest chi = new ChiSquareTest();
      double[] expected = new double[256];
      Arrays.fill(expected, 1);
      double bytesP = chi.chiSquareTest(expected, bytes);
      double topP = words && b.length / 8 >= MIN_SAMPLES ? chi.chiSquareTest(expected, top) : 1;
      long bits = 8L * b.length;
      return new Uniformity(bytesP, topP, (double) ones / bits, bits);
    }

    /** Both p-values above {@link #MIN_P}, set bits within 6 standard deviations of 1/2. */
    boolean passes() {
      return bytesP > MIN_P && topP > MIN_P && Math.abs(ones - 0.5) <= 6 * 0.5 / Math.sqrt(bits);
    }

    @Override
    public String toString() {
      return String.format(
          "p(bytes)=%.3g p(top byte)=%.3g ones=%.5f of %d bits", bytesP, topP, ones, bits);
    }
  }
}
