package io.cleanroom.coordinator.dealer;

import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.stream.FlowControlledSender;
import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BeaverTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitMasks;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.BitTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdaBits;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.EdgeTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.PowerTuples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.RowTriples;
import io.cleanroom.protocol.mpc.CorrelatedRandomness.TruncationMasks;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.service.RefusedCall;
import io.cleanroom.protocol.transport.Framing;
import io.cleanroom.protocol.wire.v1.DealerGrpc;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.RandomnessBatch;
import io.cleanroom.protocol.wire.v1.RandomnessRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves each node of a running study its shares of the dealer's correlated randomness. A request
 * names the study, the step and the sizes; the caller is the node its certificate names and must be
 * a participant; requests of a node carry consecutive sequence numbers. Shares stream in batches of
 * at most 2^17 elements, as fast as the node's flow-control window allows.
 *
 * <p>What the coordinator learns from requests: step names, sizes and, for edge triples, the source
 * node of every edge of the joint graph — which it built itself. It never receives shares.
 */
public final class DealerService extends DealerGrpc.DealerImplBase {

  private static final System.Logger LOG = System.getLogger(DealerService.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The largest request, in elements over all components (256 MiB of shares). */
  public static final long MAX_ELEMENTS = 1L << 25;

  /** The most requests one bundle may carry. */
  public static final int MAX_PARTS = 1 << 16;

  private final Map<String, StudyDealer> studies = new ConcurrentHashMap<>();

  private static final class StudyDealer {
    final Dealer dealer;
    final List<String> participants;
    final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    final AtomicLong bytesSent = new AtomicLong();

    StudyDealer(Dealer dealer, List<String> participants) {
      this.dealer = dealer;
      this.participants = participants;
    }
  }

  /** Starts dealing for a study, with a fresh secret seed. */
  public void open(String studyId, List<String> participants) {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    studies.put(
        studyId, new StudyDealer(new Dealer(seed, participants.size()), List.copyOf(participants)));
  }

  /** Stops dealing for a study and forgets its seed; returns the bytes of shares it sent. */
  public long close(String studyId) {
    StudyDealer d = studies.remove(studyId);
    return d == null ? 0 : d.bytesSent.get();
  }

  /** Bytes of shares sent so far for a study. */
  public long bytesSent(String studyId) {
    StudyDealer d = studies.get(studyId);
    return d == null ? 0 : d.bytesSent.get();
  }

  @Override
  public void randomness(RandomnessRequest req, StreamObserver<RandomnessBatch> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    Header h = req.getHeader();
    long[][] components;
    StudyDealer study = studies.get(h.getStudyId());
    try {
      if (caller.role() != Role.NODE) {
        throw new RefusedCall(Status.PERMISSION_DENIED, caller + " is not a bank node");
      }
      if (study == null) {
        throw new RefusedCall(
            Status.FAILED_PRECONDITION,
            "randomness for study \"" + h.getStudyId() + "\", which is not running");
      }
      int party = study.participants.indexOf(caller.name());
      if (party < 0) {
        throw new RefusedCall(
            Status.PERMISSION_DENIED,
            caller.name() + " is not a participant of study " + h.getStudyId());
      }
      synchronized (study) {
        long last = study.lastSeq.getOrDefault(caller.name(), 0L);
        if (h.getSeq() != last + 1) {
          throw new RefusedCall(
              Status.FAILED_PRECONDITION,
              (h.getSeq() <= last ? "replayed" : "out-of-order")
                  + " randomness request from "
                  + caller.name()
                  + " in study "
                  + h.getStudyId()
                  + ": seq "
                  + h.getSeq()
                  + ", expected "
                  + (last + 1));
        }
        study.lastSeq.put(caller.name(), h.getSeq());
      }
      if (req.getKind() == RandomnessRequest.Kind.PARTY_SEED) {
        if (party == 0) {
          throw new IllegalArgumentException(
              caller.name() + " is the first party; its shares are streamed, not seeded");
        }
        RandomnessBatch seed =
            RandomnessBatch.newBuilder()
                .setHeader(h)
                .setPartySeed(ByteString.copyFrom(study.dealer.partySeed(party)))
                .build();
        study.bytesSent.addAndGet(seed.getSerializedSize());
        responses.onNext(seed);
        responses.onCompleted();
        return;
      }
      if (req.getKind() == RandomnessRequest.Kind.OWNER_SEED) {
        RandomnessBatch seed =
            RandomnessBatch.newBuilder()
                .setHeader(h)
                .setPartySeed(ByteString.copyFrom(study.dealer.ownerSeed(party)))
                .build();
        study.bytesSent.addAndGet(seed.getSerializedSize());
        responses.onNext(seed);
        responses.onCompleted();
        return;
      }
      if (req.getKind() == RandomnessRequest.Kind.BUNDLE) {
        List<RandomnessRequest> parts = bundleParts(h, req);
        FlowControlledSender.send(
            responses,
            bundle(study.dealer, party, parts),
            b -> study.bytesSent.addAndGet(b.getSerializedSize()));
        return;
      }
      components = generate(study.dealer, party, req);
    } catch (RefusedCall e) {
      LOG.log(System.Logger.Level.WARNING, "refused: " + e.getMessage());
      responses.onError(e.toStatus());
      return;
    } catch (IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "refused randomness request: " + e.getMessage());
      responses.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    FlowControlledSender.send(
        responses,
        batches(h, 0, components),
        b -> study.bytesSent.addAndGet(b.getSerializedSize()));
  }

  /**
   * A bundle's parts, each with the bundle's study: at most {@value #MAX_PARTS}, none a seed or a
   * bundle, and none larger than a request of its own may be.
   */
  private static List<RandomnessRequest> bundleParts(Header h, RandomnessRequest req) {
    if (req.getPartsCount() == 0 || req.getPartsCount() > MAX_PARTS) {
      throw new IllegalArgumentException(
          "a bundle has 1.." + MAX_PARTS + " parts, got " + req.getPartsCount());
    }
    List<RandomnessRequest> parts = new ArrayList<>(req.getPartsCount());
    for (RandomnessRequest p : req.getPartsList()) {
      switch (p.getKind()) {
        case PARTY_SEED, OWNER_SEED, BUNDLE, KIND_UNSPECIFIED, UNRECOGNIZED ->
            throw new IllegalArgumentException("a bundle cannot contain a " + p.getKind());
        default -> {}
      }
      parts.add(
          p.toBuilder()
              .setHeader(
                  Header.newBuilder().setStudyId(h.getStudyId()).setStep(p.getHeader().getStep()))
              .build());
    }
    return parts;
  }

  /**
   * The batches of every part in order, each part's shares generated only when the stream reaches
   * it, so a bundle holds at most one part's shares in memory. An invalid part ends the stream with
   * an error there.
   */
  private static Iterator<RandomnessBatch> bundle(
      Dealer dealer, int party, List<RandomnessRequest> parts) {
    return new Iterator<>() {
      private int next;
      private Iterator<RandomnessBatch> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && next < parts.size()) {
          RandomnessRequest p = parts.get(next);
          try {
            current = batches(p.getHeader(), next, generate(dealer, party, p));
          } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT
                .withDescription("bundle part " + next + ": " + e.getMessage())
                .asRuntimeException();
          }
          next++;
        }
        return current.hasNext();
      }

      @Override
      public RandomnessBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private static long[][] generate(Dealer dealer, int party, RandomnessRequest req) {
    String step = req.getHeader().getStep();
    int n = size(req.getCount(), "count");
    switch (req.getKind()) {
      case BEAVER_TRIPLES -> {
        limit(n, 3);
        BeaverTriples t = dealer.triples(step, party, n);
        return new long[][] {t.a(), t.b(), t.c()};
      }
      case TRUNCATION_MASKS -> {
        limit(n, 3);
        TruncationMasks t = dealer.truncationMasks(step, party, n, req.getShift());
        return new long[][] {t.r(), t.top(), t.lowShifted()};
      }
      case POWER_TUPLES -> {
        limit(n, 3);
        PowerTuples t = dealer.powers(step, party, n);
        return new long[][] {t.a(), t.a2(), t.a3()};
      }
      case BIT_MASKS -> {
        limit(n, 65);
        BitMasks b = dealer.bitMasks(step, party, n);
        long[][] out = new long[65][];
        out[0] = b.r();
        System.arraycopy(b.bits(), 0, out, 1, 64);
        return out;
      }
      case EDA_BITS -> {
        limit(n, 2);
        EdaBits e = dealer.edaBits(step, party, n, req.getShift());
        return new long[][] {e.r(), e.bits()};
      }
      case BIT_TRIPLES -> {
        limit(n, 3);
        BitTriples t = dealer.bitTriples(step, party, n);
        return new long[][] {t.a(), t.b(), t.c()};
      }
      case EDGE_MASK -> {
        limit(n, 1);
        return new long[][] {dealer.edgeMask(step, party, n)};
      }
      case EDGE_TRIPLES -> {
        int nodes = size(req.getNodes(), "nodes");
        if (req.getEdgeSources().size() != 4L * n) {
          throw new IllegalArgumentException(
              "edge triples for "
                  + n
                  + " edges carry "
                  + req.getEdgeSources().size()
                  + " bytes of sources, expected "
                  + 4L * n);
        }
        limit((long) n + nodes, 1);
        IntBuffer buf =
            req.getEdgeSources()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer();
        int[] src = new int[n];
        buf.get(src);
        EdgeTriples t = dealer.edgeTriples(req.getMaskStep(), step, party, src, nodes);
        return new long[][] {t.b(), t.c()};
      }
      case ROW_TRIPLES -> {
        int[] rows = new int[req.getBlockRowsCount()];
        long total = 0;
        for (int q = 0; q < rows.length; q++) {
          rows[q] = size(req.getBlockRows(q), "block rows");
          total += rows[q];
        }
        limit(total + n, 1);
        RowTriples t =
            dealer.rowTriples(req.getMaskStep(), step, party, rows, n, req.getTransposed());
        return new long[][] {t.b(), t.c()};
      }
      default -> throw new IllegalArgumentException("unknown randomness kind " + req.getKind());
    }
  }

  private static int size(long v, String what) {
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " " + v + " is out of range");
    }
    return (int) v;
  }

  private static void limit(long n, int components) {
    if (n * components > MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          "request for "
              + n
              + " × "
              + components
              + " elements exceeds the limit of "
              + MAX_ELEMENTS
              + "; split it into smaller steps");
    }
  }

  /**
   * The batches of {@code components}, in order, each at most 2^17 elements, encoded one at a time
   * as the stream asks for them.
   */
  private static Iterator<RandomnessBatch> batches(Header header, int part, long[][] components) {
    return new Iterator<>() {
      private int component;
      private int offset;

      @Override
      public boolean hasNext() {
        return component < components.length;
      }

      @Override
      public RandomnessBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long[] v = components[component];
        int count = Math.min(Framing.MAX_BATCH_ELEMENTS, v.length - offset);
        RandomnessBatch b =
            RandomnessBatch.newBuilder()
                .setHeader(header)
                .setPart(part)
                .setComponent(component)
                .setOffset(offset)
                .setTotal(v.length)
                .setCount(count)
                .setPayload(Framing.encode(v, offset, count))
                .build();
        offset += count;
        if (offset >= v.length) {
          component++;
          offset = 0;
        }
        return b;
      }
    };
  }
}
