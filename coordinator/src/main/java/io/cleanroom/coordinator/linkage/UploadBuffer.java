package io.cleanroom.coordinator.linkage;

import io.cleanroom.protocol.linkage.HmacLinkageHasher;
import io.cleanroom.protocol.linkage.LinkageHasher;
import io.cleanroom.protocol.linkage.PartyUpload;
import io.cleanroom.protocol.wire.v1.BlindedValues;
import io.cleanroom.protocol.wire.v1.IdentifierKind;
import io.cleanroom.protocol.wire.v1.LinkageSizes;
import io.cleanroom.protocol.wire.v1.LocalEdges;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One node's upload as it arrives in chunks. Each blinded value is blinded again with the
 * coordinator's key the moment it arrives, and only the doubly-blinded value is kept.
 */
final class UploadBuffer {

  private final HmacLinkageHasher coordinatorKey;
  private final byte[] once = new byte[LinkageHasher.BYTES];
  private final byte[] twice = new byte[LinkageHasher.BYTES];
  private LinkageSizes sizes;
  private final Ints idLabels = new Ints();
  private final Ints idKinds = new Ints();
  private final Longs idHi = new Longs();
  private final Longs idLo = new Longs();
  private final Ints accountLabels = new Ints();
  private final Longs accountHi = new Longs();
  private final Longs accountLo = new Longs();
  private final Ints edgeOwn = new Ints();
  private final Ints edgeKinds = new Ints();
  private final Ints edgeOther = new Ints();
  private final Longs crossHi = new Longs();
  private final Longs crossLo = new Longs();

  UploadBuffer(byte[] key) {
    this.coordinatorKey = new HmacLinkageHasher(key);
  }

  void sizes(LinkageSizes s) {
    if (sizes != null) {
      throw new IllegalArgumentException("sizes sent twice");
    }
    sizes = s;
  }

  private void requireSizes() {
    if (sizes == null) {
      throw new IllegalArgumentException("the first chunk must give the sizes");
    }
  }

  void identifiers(BlindedValues v) {
    requireSizes();
    values(v, v.getKindsCount(), "identifiers");
    ByteBuffer in = v.getValues().asReadOnlyByteBuffer();
    for (int i = 0; i < v.getLabelsCount(); i++) {
      IdentifierKind kind = v.getKinds(i);
      if (kind == IdentifierKind.ACCOUNT_NUMBER
          || kind == IdentifierKind.IDENTIFIER_KIND_UNSPECIFIED
          || kind == IdentifierKind.UNRECOGNIZED) {
        throw new IllegalArgumentException("identifier of kind " + kind);
      }
      idLabels.add(v.getLabels(i));
      idKinds.add(kind.getNumber());
      reblind(kind, in, idHi, idLo);
    }
  }

  void accounts(BlindedValues v) {
    requireSizes();
    values(v, v.getLabelsCount(), "account numbers");
    ByteBuffer in = v.getValues().asReadOnlyByteBuffer();
    for (int i = 0; i < v.getLabelsCount(); i++) {
      accountLabels.add(v.getLabels(i));
      reblind(IdentifierKind.ACCOUNT_NUMBER, in, accountHi, accountLo);
    }
  }

  void edges(LocalEdges e) {
    requireSizes();
    int n = e.getOwnLabelsCount();
    if (e.getKindsCount() != n || e.getOtherLabelsCount() != n) {
      throw new IllegalArgumentException("edge columns differ in length");
    }
    ByteBuffer in = e.getCounterparties().asReadOnlyByteBuffer();
    int cross = 0;
    for (int i = 0; i < n; i++) {
      edgeOwn.add(e.getOwnLabels(i));
      switch (e.getKinds(i)) {
        case INTRA -> {
          edgeKinds.add(PartyUpload.INTRA);
          edgeOther.add(e.getOtherLabels(i));
        }
        case CROSS_OUT, CROSS_IN -> {
          edgeKinds.add(
              e.getKinds(i) == LocalEdges.EdgeKind.CROSS_OUT
                  ? PartyUpload.CROSS_OUT
                  : PartyUpload.CROSS_IN);
          edgeOther.add(crossHi.size());
          if (in.remaining() < LinkageHasher.BYTES) {
            throw new IllegalArgumentException("cross-bank edge without its counterparty");
          }
          reblind(IdentifierKind.ACCOUNT_NUMBER, in, crossHi, crossLo);
          cross++;
        }
        default -> throw new IllegalArgumentException("edge of kind " + e.getKinds(i));
      }
    }
    if (in.remaining() != 0) {
      throw new IllegalArgumentException(
          "edges carry "
              + e.getCounterparties().size()
              + " bytes of counterparties for "
              + cross
              + " cross-bank edges");
    }
  }

  private static void values(BlindedValues v, int parallel, String what) {
    if (parallel != v.getLabelsCount()
        || v.getValues().size() != (long) v.getLabelsCount() * LinkageHasher.BYTES) {
      throw new IllegalArgumentException(what + ": columns differ in length");
    }
  }

  private void reblind(IdentifierKind kind, ByteBuffer in, Longs hi, Longs lo) {
    in.get(once);
    coordinatorKey.reblind(kind, once, 0, twice, 0);
    ByteBuffer b = ByteBuffer.wrap(twice);
    hi.add(b.getLong());
    lo.add(b.getLong());
  }

  /** The complete upload; checks that it holds what the sizes announced. */
  PartyUpload finish() {
    requireSizes();
    if (edgeOwn.size() != sizes.getEdges()) {
      throw new IllegalArgumentException(
          "announced " + sizes.getEdges() + " edges, sent " + edgeOwn.size());
    }
    byte[] kinds = new byte[edgeKinds.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = (byte) edgeKinds.get(i);
    }
    return new PartyUpload(
        sizes.getAccounts(),
        idLabels.toArray(),
        idKinds.toArray(),
        idHi.toArray(),
        idLo.toArray(),
        accountLabels.toArray(),
        accountHi.toArray(),
        accountLo.toArray(),
        edgeOwn.toArray(),
        kinds,
        edgeOther.toArray(),
        crossHi.toArray(),
        crossLo.toArray());
  }

  /** A growable int column. */
  private static final class Ints {
    private int[] v = new int[64];
    private int n;

    void add(int x) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = x;
    }

    int get(int i) {
      return v[i];
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(v, n);
    }
  }

  /** A growable long column. */
  private static final class Longs {
    private long[] v = new long[64];
    private int n;

    void add(long x) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = x;
    }

    int size() {
      return n;
    }

    long[] toArray() {
      return Arrays.copyOf(v, n);
    }
  }
}
