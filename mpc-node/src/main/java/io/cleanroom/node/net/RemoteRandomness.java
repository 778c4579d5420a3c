package io.cleanroom.node.net;

import com.google.protobuf.ByteString;
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
 * This node's part of the dealer's correlated randomness, fetched from the coordinator's {@code
 * Dealer} service: one server stream per request, with a deadline, and requests numbered in
 * sequence. Only step names and sizes leave the node (and, for edge triples, the edges' source
 * nodes, which the coordinator already knows from linkage).
 */
public final class RemoteRandomness implements CorrelatedRandomness {

  private final DealerGrpc.DealerBlockingStub stub;
  private final String studyId;
  private final Duration timeout;
  private long seq;

  public RemoteRandomness(Channel coordinator, String studyId, Duration timeout) {
    this.stub = DealerGrpc.newBlockingStub(coordinator);
    this.studyId = studyId;
    this.timeout = timeout;
  }

  @Override
  public BeaverTriples triples(String step, int n) {
    long[][] c = fetch(request(step, Kind.BEAVER_TRIPLES, n), 3);
    return new BeaverTriples(c[0], c[1], c[2]);
  }

  @Override
  public TruncationMasks truncationMasks(String step, int n, int shift) {
    long[][] c = fetch(request(step, Kind.TRUNCATION_MASKS, n).setShift(shift), 3);
    return new TruncationMasks(c[0], c[1], c[2]);
  }

  @Override
  public BitMasks bitMasks(String step, int n) {
    long[][] c = fetch(request(step, Kind.BIT_MASKS, n), 65);
    return new BitMasks(c[0], Arrays.copyOfRange(c, 1, 65));
  }

  @Override
  public long[] edgeMask(String maskStep, int edges) {
    return fetch(request(maskStep, Kind.EDGE_MASK, edges), 1)[0];
  }

  @Override
  public EdgeTriples edgeTriples(String maskStep, String step, int[] src, int nodes) {
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
