package io.cleanroom.protocol.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.Header;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Splits a message of ring elements into wire batches and reassembles it.
 *
 * <p>Batches are kept at or under {@link #MAX_BATCH_ELEMENTS} elements (1 MiB of payload) so that a
 * whole column of a national-scale graph streams with flow control instead of as one huge gRPC
 * message, and so that receivers can bound the size of any single message they accept.
 */
public final class Framing {

  /** Elements per batch: 2^17 elements, 1 MiB of payload. */
  public static final int MAX_BATCH_ELEMENTS = 1 << 17;

  private Framing() {}

  /**
   * The batches of one logical message, in order, each with the next sequence number of the
   * directed channel taken from {@code nextSeq}.
   */
  public static List<Batch> split(
      String studyId, String step, Batch.Kind kind, long[] values, LongSupplier nextSeq) {
    int batches = Math.max(1, (values.length + MAX_BATCH_ELEMENTS - 1) / MAX_BATCH_ELEMENTS);
    List<Batch> out = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      int offset = b * MAX_BATCH_ELEMENTS;
      int count = Math.min(MAX_BATCH_ELEMENTS, values.length - offset);
      out.add(
          Batch.newBuilder()
              .setHeader(
                  Header.newBuilder().setStudyId(studyId).setStep(step).setSeq(nextSeq.getAsLong()))
              .setKind(kind)
              .setCount(count)
              .setOffset(offset)
              .setTotal(values.length)
              .setPayload(encode(values, offset, count))
              .build());
    }
    return out;
  }

  /** {@code count} elements of {@code values} from {@code offset}, 8 bytes each, little-endian. */
  public static ByteString encode(long[] values, int offset, int count) {
    ByteBuffer buf = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(values, offset, count);
    // The array is fresh and never written again, so it can back the ByteString without a copy.
    return UnsafeByteOperations.unsafeWrap(buf.array());
  }

  /** Decodes a batch's payload into {@code dst} starting at the batch's offset. */
  static void decodeInto(Batch batch, long[] dst) {
    batch
        .getPayload()
        .asReadOnlyByteBuffer()
        .order(ByteOrder.LITTLE_ENDIAN)
        .asLongBuffer()
        .get(dst, (int) batch.getOffset(), batch.getCount());
  }
}
