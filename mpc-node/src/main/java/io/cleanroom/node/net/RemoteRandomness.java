package io.cleanroom.node.net;

import com.google.protobuf.ByteString;
import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.dealer.LocalRandomness;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.transport.StudyAbortedException;
import io.cleanroom.protocol.wire.v1.DealerGrpc;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.RandomnessBatch;
import io.cleanroom.protocol.wire.v1.RandomnessRequest;
import io.cleanroom.protocol.wire.v1.RandomnessRequest.Kind;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This node's part of the dealer's correlated randomness from the coordinator's {@code Dealer}
 * service. The first party's shares depend on the correlated values, so it fetches them: one server
 * stream per request, with a deadline, and requests numbered in sequence. Every other party fetches
 * its party seed once and derives its shares itself ({@link Dealer#forParty}), the same values the
 * dealer would have streamed. Only step names and sizes leave the node (and, for edge triples, the
 * edges' source nodes, which the coordinator already knows from linkage).
 */
public final class RemoteRandomness implements CorrelatedRandomness {

  private final DealerGrpc.DealerBlockingStub stub;
  private final String studyId;
  private final Duration timeout;
  private final int party;
  private final int parties;
  private CorrelatedRandomness seeded;
  private byte[] ownerSeed;

  /** Held while a request is on the wire: requests carry consecutive sequence numbers. */
  private final Object wire = new Object();

  private long seq;

  /** Shares fetched ahead by {@link #prefetch}, by request, until a call takes them. */
  private final Map<ByteString, CompletableFuture<long[][]>> ahead = new ConcurrentHashMap<>();

  private ExecutorService fetcher;

  /**
   * @param party this node's index among the study's participants
   * @param parties the number of participants
   */
  public RemoteRandomness(
      Channel coordinator, String studyId, Duration timeout, int party, int parties) {
    this.stub = DealerGrpc.newBlockingStub(coordinator);
    this.studyId = studyId;
    this.timeout = timeout;
    this.party = party;
    this.parties = parties;
  }

  /** For every party but the first: its shares, derived locally from its party seed. */
  private synchronized CorrelatedRandomness seeded() {
    if (party == 0) {
      return null;
    }
    if (seeded == null) {
      byte[] seed = fetchSeed("dealer/party-seed", Kind.PARTY_SEED);
      try {
        seeded = new LocalRandomness(Dealer.forParty(seed, party, parties), party);
      } catch (IllegalArgumentException e) {
        throw new StudyAbortedException("dealer sent a bad party seed: " + e.getMessage(), e);
      }
    }
    return seeded;
  }

  private byte[] fetchSeed(String step, Kind kind) {
    RandomnessRequest.Builder req = Requests.request(step, kind, 0);
    synchronized (wire) {
      req.getHeaderBuilder().setStudyId(studyId).setSeq(++seq);
      try {
        Iterator<RandomnessBatch> it =
            stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .randomness(req.build());
        if (!it.hasNext()) {
          throw new StudyAbortedException("dealer sent no " + step);
        }
        byte[] seed = it.next().getPartySeed().toByteArray();
        it.forEachRemaining(b -> {});
        if (seed.length != 32) {
          throw new StudyAbortedException("dealer sent a " + seed.length + "-byte " + step);
        }
        return seed;
      } catch (StatusRuntimeException e) {
        throw refused(step, e);
      }
    }
  }

  @Override
  public synchronized long[] ownerMask(String maskStep, int rows, int cols) {
    if (ownerSeed == null) {
      ownerSeed = fetchSeed("dealer/owner-seed", Kind.OWNER_SEED);
    }
    return Dealer.ownerMask(ownerSeed, maskStep, Math.multiplyExact(rows, cols));
  }

  @Override
  public RowTriples rowTriples(
      String maskStep, String step, int[] rowsByOwner, int cols, boolean transposed) {
    if (seeded() != null) {
      return seeded.rowTriples(maskStep, step, rowsByOwner, cols, transposed);
    }
    long[][] c = take(Requests.rowTriples(maskStep, step, rowsByOwner, cols, transposed), 2);
    return new RowTriples(c[0], c[1]);
  }

  @Override
  public BeaverTriples triples(String step, int n) {
    if (seeded() != null) {
      return seeded.triples(step, n);
    }
    long[][] c = take(Requests.triples(step, n), 3);
    return new BeaverTriples(c[0], c[1], c[2]);
  }

  @Override
  public TruncationMasks truncationMasks(String step, int n, int shift) {
    if (seeded() != null) {
      return seeded.truncationMasks(step, n, shift);
    }
    long[][] c = take(Requests.truncationMasks(step, n, shift), 3);
    return new TruncationMasks(c[0], c[1], c[2]);
  }

  @Override
  public PowerTuples powers(String step, int n) {
    if (seeded() != null) {
      return seeded.powers(step, n);
    }
    long[][] c = take(Requests.powers(step, n), 3);
    return new PowerTuples(c[0], c[1], c[2]);
  }

  @Override
  public BitMasks bitMasks(String step, int n) {
    if (seeded() != null) {
      return seeded.bitMasks(step, n);
    }
    long[][] c = take(Requests.bitMasks(step, n), 65);
    return new BitMasks(c[0], Arrays.copyOfRange(c, 1, 65));
  }

  @Override
  public EdaBits edaBits(String step, int n, int bits) {
    if (seeded() != null) {
      return seeded.edaBits(step, n, bits);
    }
    long[][] c = take(Requests.edaBits(step, n, bits), 2);
    return new EdaBits(c[0], c[1]);
  }

  @Override
  public BitTriples bitTriples(String step, int words) {
    if (seeded() != null) {
      return seeded.bitTriples(step, words);
    }
    long[][] c = take(Requests.bitTriples(step, words), 3);
    return new BitTriples(c[0], c[1], c[2]);
  }

  @Override
  public long[] edgeMask(String maskStep, int edges) {
    if (seeded() != null) {
      return seeded.edgeMask(maskStep, edges);
    }
    return take(Requests.edgeMask(maskStep, edges), 1)[0];
  }

  @Override
  public EdgeTriples edgeTriples(String maskStep, String step, int[] src, int nodes) {
    if (seeded() != null) {
      return seeded.edgeTriples(maskStep, step, src, nodes);
    }
    long[][] c = take(Requests.edgeTriples(maskStep, step, src, nodes), 2);
    return new EdgeTriples(c[0], c[1]);
  }

  /**
   * The first party fetches everything {@code announce} asks for in one bundle, on a background
   * thread, and answers the matching later calls from it as the parts arrive; every other party
   * derives its shares locally and has nothing to fetch.
   */
  @Override
  public void prefetch(Consumer<CorrelatedRandomness> announce) {
    if (seeded() != null) {
      return;
    }
    Requests.Recorder recorder = new Requests.Recorder();
    announce.accept(recorder);
    List<RandomnessRequest.Builder> parts = recorder.requests();
    if (parts.isEmpty()) {
      return;
    }
    List<CompletableFuture<long[][]>> futures = new ArrayList<>(parts.size());
    for (RandomnessRequest.Builder part : parts) {
      CompletableFuture<long[][]> f = new CompletableFuture<>();
      ahead.put(Requests.key(part), f);
      futures.add(f);
    }
    fetcher().execute(() -> fetchBundle(parts, futures));
  }

  /** Answers a request from the bundles fetched ahead, or fetches it now. */
  private long[][] take(RandomnessRequest.Builder req, int components) {
    CompletableFuture<long[][]> f = ahead.remove(Requests.key(req));
    if (f == null) {
      return fetch(req, components);
    }
    try {
      long[][] c = f.join();
      if (c.length != components) {
        throw new StudyAbortedException(
            "dealer sent " + c.length + " components for step " + req.getHeader().getStep());
      }
      return c;
    } catch (CompletionException e) {
      throw e.getCause() instanceof StudyAbortedException a
          ? a
          : new StudyAbortedException("prefetch failed: " + e.getCause(), e.getCause());
    }
  }

  /** One thread that sends the bundles in order, and ends when it has had nothing to do. */
  private synchronized ExecutorService fetcher() {
    if (fetcher == null) {
      fetcher =
          new ThreadPoolExecutor(
              0,
              1,
              10,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "dealer-prefetch-" + studyId);
                t.setDaemon(true);
                return t;
              });
    }
    return fetcher;
  }

  private long[][] fetch(RandomnessRequest.Builder req, int components) {
    synchronized (wire) {
      return fetchNow(req, components);
    }
  }

  private long[][] fetchNow(RandomnessRequest.Builder req, int components) {
    req.getHeaderBuilder().setStudyId(studyId).setSeq(++seq);
    String step = req.getHeader().getStep();
    Shares shares = new Shares(step, components);
    try {
      Iterator<RandomnessBatch> it =
          stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).randomness(req.build());
      while (it.hasNext()) {
        shares.add(it.next(), studyId);
      }
    } catch (StatusRuntimeException e) {
      throw refused(step, e);
    }
    return shares.complete();
  }

  /**
   * Fetches the parts of a bundle in one call and completes each part's future as soon as its last
   * batch has arrived; a failure fails every part not yet complete.
   */
  private void fetchBundle(
      List<RandomnessRequest.Builder> parts, List<CompletableFuture<long[][]>> futures) {
    synchronized (wire) {
      fetchBundleNow(parts, futures);
    }
  }

  private void fetchBundleNow(
      List<RandomnessRequest.Builder> parts, List<CompletableFuture<long[][]>> futures) {
    RandomnessRequest.Builder bundle =
        RandomnessRequest.newBuilder()
            .setKind(Kind.BUNDLE)
            .setHeader(
                Header.newBuilder()
                    .setStudyId(studyId)
                    .setStep("dealer/bundle/" + parts.get(0).getHeader().getStep())
                    .setSeq(++seq));
    parts.forEach(p -> bundle.addParts(p.build()));
    int current = 0;
    Shares shares = null;
    try {
      Iterator<RandomnessBatch> it =
          stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .randomness(bundle.build());
      while (it.hasNext()) {
        RandomnessBatch b = it.next();
        if (b.getPart() < current || b.getPart() >= parts.size()) {
          throw new StudyAbortedException(
              "dealer sent bundle part " + b.getPart() + " out of order");
        }
        while (current < b.getPart() || shares == null) {
          if (shares != null) {
            futures.get(current++).complete(shares.complete());
          }
          shares =
              new Shares(parts.get(current).getHeader().getStep(), components(parts.get(current)));
        }
        shares.add(b, studyId);
      }
      if (shares != null) {
        futures.get(current++).complete(shares.complete());
      }
      if (current != parts.size()) {
        throw new StudyAbortedException(
            "dealer answered " + current + " of the " + parts.size() + " parts of a bundle");
      }
    } catch (StatusRuntimeException e) {
      fail(futures, refused(bundle.getHeader().getStep(), e));
    } catch (RuntimeException e) {
      fail(futures, e);
    }
  }

  private static void fail(List<CompletableFuture<long[][]>> futures, RuntimeException e) {
    futures.forEach(f -> f.completeExceptionally(e));
  }

  private static int components(RandomnessRequest.Builder req) {
    return switch (req.getKind()) {
      case BEAVER_TRIPLES, TRUNCATION_MASKS, POWER_TUPLES, BIT_TRIPLES -> 3;
      case EDA_BITS -> 2;
      case BIT_MASKS -> 65;
      case EDGE_MASK -> 1;
      case EDGE_TRIPLES, ROW_TRIPLES -> 2;
      default -> throw new IllegalArgumentException("no shares for a " + req.getKind());
    };
  }

  private static StudyAbortedException refused(String step, StatusRuntimeException e) {
    return new StudyAbortedException(
        "dealer refused randomness for step "
            + step
            + ": "
            + e.getStatus().getCode()
            + " "
            + e.getStatus().getDescription(),
        e);
  }

  /** The components of one request's shares, assembled from the batches that carry them. */
  private static final class Shares {
    private final String step;
    private final long[][] out;

    Shares(String step, int components) {
      this.step = step;
      this.out = new long[components][];
    }

    void add(RandomnessBatch b, String studyId) {
      if (!b.getHeader().getStudyId().equals(studyId) || !b.getHeader().getStep().equals(step)) {
        throw new StudyAbortedException(
            "dealer answered step "
                + step
                + " with a batch of "
                + b.getHeader().getStudyId()
                + "/"
                + b.getHeader().getStep());
      }
      int k = b.getComponent();
      if (k < 0 || k >= out.length || b.getPayload().size() != 8L * b.getCount()) {
        throw new StudyAbortedException("malformed randomness batch for step " + step);
      }
      if (out[k] == null) {
        out[k] = new long[Math.toIntExact(b.getTotal())];
      }
      if (b.getOffset() + b.getCount() > out[k].length) {
        throw new StudyAbortedException("randomness batch for step " + step + " overruns");
      }
      b.getPayload()
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .asLongBuffer()
          .get(out[k], (int) b.getOffset(), b.getCount());
    }

    long[][] complete() {
      for (int k = 0; k < out.length; k++) {
        if (out[k] == null) {
          throw new StudyAbortedException("dealer sent no component " + k + " for step " + step);
        }
      }
      return out;
    }
  }
}
