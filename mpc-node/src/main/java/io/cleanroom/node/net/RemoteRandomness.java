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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

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
  private long seq;

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
    RandomnessRequest.Builder req = request(step, kind, 0);
    req.getHeaderBuilder().setSeq(++seq);
    try {
      Iterator<RandomnessBatch> it =
          stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).randomness(req.build());
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
      throw new StudyAbortedException(
          "dealer refused "
              + step
              + ": "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription(),
          e);
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
    RandomnessRequest.Builder req =
        request(step, Kind.ROW_TRIPLES, cols).setMaskStep(maskStep).setTransposed(transposed);
    for (int r : rowsByOwner) {
      req.addBlockRows(r);
    }
    long[][] c = fetch(req, 2);
    return new RowTriples(c[0], c[1]);
  }

  @Override
  public BeaverTriples triples(String step, int n) {
    if (seeded() != null) {
      return seeded.triples(step, n);
    }
    long[][] c = fetch(request(step, Kind.BEAVER_TRIPLES, n), 3);
    return new BeaverTriples(c[0], c[1], c[2]);
  }

  @Override
  public TruncationMasks truncationMasks(String step, int n, int shift) {
    if (seeded() != null) {
      return seeded.truncationMasks(step, n, shift);
    }
    long[][] c = fetch(request(step, Kind.TRUNCATION_MASKS, n).setShift(shift), 3);
    return new TruncationMasks(c[0], c[1], c[2]);
  }

  @Override
  public PowerTuples powers(String step, int n) {
    if (seeded() != null) {
      return seeded.powers(step, n);
    }
    long[][] c = fetch(request(step, Kind.POWER_TUPLES, n), 3);
    return new PowerTuples(c[0], c[1], c[2]);
  }

  @Override
  public BitMasks bitMasks(String step, int n) {
    if (seeded() != null) {
      return seeded.bitMasks(step, n);
    }
    long[][] c = fetch(request(step, Kind.BIT_MASKS, n), 65);
    return new BitMasks(c[0], Arrays.copyOfRange(c, 1, 65));
  }

  @Override
  public long[] edgeMask(String maskStep, int edges) {
    if (seeded() != null) {
      return seeded.edgeMask(maskStep, edges);
    }
    return fetch(request(maskStep, Kind.EDGE_MASK, edges), 1)[0];
  }

  @Override
  public EdgeTriples edgeTriples(String maskStep, String step, int[] src, int nodes) {
    if (seeded() != null) {
      return seeded.edgeTriples(maskStep, step, src, nodes);
    }
    ByteBuffer buf = ByteBuffer.allocate(4 * src.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(src);
    long[][] c =
        fetch(
            request(step, Kind.EDGE_TRIPLES, src.length)
                .setMaskStep(maskStep)
                .setNodes(nodes)
                .setEdgeSources(ByteString.copyFrom(buf.array())),
            2);
    return new EdgeTriples(c[0], c[1]);
  }

  private RandomnessRequest.Builder request(String step, Kind kind, int count) {
    return RandomnessRequest.newBuilder()
        .setKind(kind)
        .setCount(count)
        .setHeader(Header.newBuilder().setStudyId(studyId).setStep(step));
  }

  private synchronized long[][] fetch(RandomnessRequest.Builder req, int components) {
    req.getHeaderBuilder().setSeq(++seq);
    String step = req.getHeader().getStep();
    long[][] out = new long[components][];
    try {
      Iterator<RandomnessBatch> it =
          stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).randomness(req.build());
      while (it.hasNext()) {
        RandomnessBatch b = it.next();
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
        if (k < 0 || k >= components || b.getPayload().size() != 8L * b.getCount()) {
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
    } catch (StatusRuntimeException e) {
      throw new StudyAbortedException(
          "dealer refused randomness for step "
              + step
              + ": "
              + e.getStatus().getCode()
              + " "
              + e.getStatus().getDescription(),
          e);
    }
    for (int k = 0; k < components; k++) {
      if (out[k] == null) {
        throw new StudyAbortedException("dealer sent no component " + k + " for step " + step);
      }
    }
    return out;
  }
}
