package io.cleanroom.node.net;

import com.google.protobuf.ByteString;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.RandomnessRequest;
import io.cleanroom.protocol.wire.v1.RandomnessRequest.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The dealer requests behind each {@link CorrelatedRandomness} call: only step names, sizes and,
 * for edge triples, the graph's structure. The study id and sequence number are set when a request
 * is sent.
 */
final class Requests {
  private Requests() {}

  static RandomnessRequest.Builder request(String step, Kind kind, int count) {
    return RandomnessRequest.newBuilder()
        .setKind(kind)
        .setCount(count)
        .setHeader(Header.newBuilder().setStep(step));
  }

  static RandomnessRequest.Builder triples(String step, int n) {
    return request(step, Kind.BEAVER_TRIPLES, n);
  }

  static RandomnessRequest.Builder truncationMasks(String step, int n, int shift) {
    return request(step, Kind.TRUNCATION_MASKS, n).setShift(shift);
  }

  static RandomnessRequest.Builder powers(String step, int n) {
    return request(step, Kind.POWER_TUPLES, n);
  }

  static RandomnessRequest.Builder bitMasks(String step, int n) {
    return request(step, Kind.BIT_MASKS, n);
  }

  static RandomnessRequest.Builder edaBits(String step, int n, int bits) {
    return request(step, Kind.EDA_BITS, n).setShift(bits);
  }

  static RandomnessRequest.Builder bitTriples(String step, int words) {
    return request(step, Kind.BIT_TRIPLES, words);
  }

  static RandomnessRequest.Builder edgeMask(String maskStep, int edges) {
    return request(maskStep, Kind.EDGE_MASK, edges);
  }

  static RandomnessRequest.Builder edgeTriples(String maskStep, String step, int[] src, int nodes) {
    ByteBuffer buf = ByteBuffer.allocate(4 * src.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asIntBuffer().put(src);
    return request(step, Kind.EDGE_TRIPLES, src.length)
        .setMaskStep(maskStep)
        .setNodes(nodes)
        .setEdgeSources(ByteString.copyFrom(buf.array()));
  }

  static RandomnessRequest.Builder rowTriples(
      String maskStep, String step, int[] rowsByOwner, int cols, boolean transposed) {
    RandomnessRequest.Builder req =
        request(step, Kind.ROW_TRIPLES, cols).setMaskStep(maskStep).setTransposed(transposed);
    for (int r : rowsByOwner) {
      req.addBlockRows(r);
    }
    return req;
  }

  /**
   * What identifies a request's shares: every field but the study and sequence number. A call
   * matches shares fetched ahead only if it asks for exactly the same thing.
   */
  static ByteString key(RandomnessRequest.Builder req) {
    return req.clone()
        .setHeader(Header.newBuilder().setStep(req.getHeader().getStep()))
        .build()
        .toByteString();
  }

  /**
   * A {@link CorrelatedRandomness} that only notes the requests its calls would send: every method
   * returns null. What {@link RemoteRandomness#prefetch} hands to the announcing code.
   */
  static final class Recorder implements CorrelatedRandomness {
    private final List<RandomnessRequest.Builder> requests = new ArrayList<>();

    List<RandomnessRequest.Builder> requests() {
      return requests;
    }

    @Override
    public BeaverTriples triples(String step, int n) {
      requests.add(Requests.triples(step, n));
      return null;
    }

    @Override
    public TruncationMasks truncationMasks(String step, int n, int shift) {
      requests.add(Requests.truncationMasks(step, n, shift));
      return null;
    }

    @Override
    public PowerTuples powers(String step, int n) {
      requests.add(Requests.powers(step, n));
      return null;
    }

    @Override
    public BitMasks bitMasks(String step, int n) {
      requests.add(Requests.bitMasks(step, n));
      return null;
    }

    @Override
    public EdaBits edaBits(String step, int n, int bits) {
      requests.add(Requests.edaBits(step, n, bits));
      return null;
    }

    @Override
    public BitTriples bitTriples(String step, int words) {
      requests.add(Requests.bitTriples(step, words));
      return null;
    }

    @Override
    public long[] edgeMask(String maskStep, int edges) {
      requests.add(Requests.edgeMask(maskStep, edges));
      return null;
    }

    @Override
    public EdgeTriples edgeTriples(String maskStep, String step, int[] src, int nodes) {
      requests.add(Requests.edgeTriples(maskStep, step, src, nodes));
      return null;
    }

    /** Owner masks come from the owner seed, not from a request: nothing to note. */
    @Override
    public long[] ownerMask(String maskStep, int rows, int cols) {
      return null;
    }

    @Override
    public RowTriples rowTriples(
        String maskStep, String step, int[] rowsByOwner, int cols, boolean transposed) {
      requests.add(Requests.rowTriples(maskStep, step, rowsByOwner, cols, transposed));
      return null;
    }
  }
}
