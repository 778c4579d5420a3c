package io.cleanroom.node.linkage;

import com.google.protobuf.ByteString;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.CrossBankFlows;
import io.cleanroom.node.data.Customers;
import io.cleanroom.node.data.Flows;
import io.cleanroom.protocol.linkage.ConsortiumKey;
import io.cleanroom.protocol.linkage.HmacLinkageHasher;
import io.cleanroom.protocol.linkage.JointGraph;
import io.cleanroom.protocol.linkage.LinkageHasher;
import io.cleanroom.protocol.linkage.Permutations;
import io.cleanroom.protocol.linkage.ViewColumns;
import io.cleanroom.protocol.study.Progress;
import io.cleanroom.protocol.transport.StudyAbortedException;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.wire.v1.BlindedValues;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.IdentifierKind;
import io.cleanroom.protocol.wire.v1.JointGraphChunk;
import io.cleanroom.protocol.wire.v1.JointGraphRequest;
import io.cleanroom.protocol.wire.v1.LinkageGrpc;
import io.cleanroom.protocol.wire.v1.LinkageReceipt;
import io.cleanroom.protocol.wire.v1.LinkageSizes;
import io.cleanroom.protocol.wire.v1.LinkageUpload;
import io.cleanroom.protocol.wire.v1.LocalEdges;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs this bank's part of linkage for one study.
 *
 * <p>What leaves the bank: to the other banks, a random 256-bit key contribution; to the
 * coordinator, for each account a label from a fresh random permutation, the blinded identifiers of
 * its holder, the blinded account number of accounts in cross-bank transfers, and its edges (label
 * to label within the bank, label to blinded counterparty across banks), never an amount, flag or
 * plaintext identifier.
 *
 * <p>Everything is uploaded in label order, never in the order of the bank's tables: accounts and
 * their identifiers by label, and each kind of edge by its own account's label, edges of one
 * account in a fresh random order. The labels are a random permutation, so the coordinator learns
 * nothing from where a label stands in the stream (tables are often sorted by account number or
 * opening date, and a position would then name the account).
 */
public final class LinkageClient {

  private static final int CHUNK = 1 << 16;

  private final BankData data;
  private final Transport transport;
  private final LinkageGrpc.LinkageStub async;
  private final LinkageGrpc.LinkageBlockingStub blocking;
  private final Duration timeout;
  private final SecureRandom random;
  private long seq;

  public LinkageClient(
      BankData data, Transport transport, Channel coordinator, Duration timeout, SecureRandom r) {
    this.data = data;
    this.transport = transport;
    this.async = LinkageGrpc.newStub(coordinator);
    this.blocking = LinkageGrpc.newBlockingStub(coordinator);
    this.timeout = timeout;
    this.random = r;
  }

  /** Links this bank's accounts into the joint graph. */
  public LinkedGraph link() {
    return link(Progress.NONE);
  }

  /**
   * Links this bank's accounts into the joint graph; {@code progress} hears the end of each part:
   * the consortium key, each part of the upload, the coordinator's receipt (it has matched every
   * bank's upload by then) and the joint graph's view.
   */
  public LinkedGraph link(Progress progress) {
    byte[] key = ConsortiumKey.derive(transport, "link/key", random);
    progress.report(0.05);
    HmacLinkageHasher hasher = new HmacLinkageHasher(key);
    java.util.Arrays.fill(key, (byte) 0);
    int n = data.accountCount();
    int[] label = Permutations.random(n, random);
    Flows intra = data.flows();
    CrossBankFlows out = data.outgoing();
    CrossBankFlows in = data.incoming();
    int[] intraOrder = byLabel(intra.size(), e -> label[intra.src(e)]);
    int[] outOrder = byLabel(out.size(), e -> label[out.account(e)]);
    int[] inOrder = byLabel(in.size(), e -> label[in.account(e)]);
    upload(hasher, label, intra, out, in, intraOrder, outOrder, inOrder, progress.part(0.05, 0.8));
    Map<String, int[]> view = fetchView();
    progress.report(0.95);
    int[] ownHandles = view.get(ViewColumns.OWN_HANDLES);
    int[] handleOf = new int[n];
    for (int a = 0; a < n; a++) {
      handleOf[a] = ownHandles[label[a]];
    }
    // the counterparts come back in upload order: intra edges, then outgoing, then incoming
    int[] cp = view.get(ViewColumns.EDGE_COUNTERPARTS);
    int[] outCp = new int[out.size()];
    for (int i = 0; i < outOrder.length; i++) {
      outCp[outOrder[i]] = cp[intra.size() + i];
    }
    int[] inCp = new int[in.size()];
    for (int i = 0; i < inOrder.length; i++) {
      inCp[inOrder[i]] = cp[intra.size() + out.size() + i];
    }
    JointGraph graph =
        new JointGraph(
            view.get(ViewColumns.HANDLES)[0],
            view.get(ViewColumns.OWNERS),
            view.get(ViewColumns.FLOW_SRC),
            view.get(ViewColumns.FLOW_DST),
            view.get(ViewColumns.IDENTITY_SRC),
            view.get(ViewColumns.IDENTITY_DST));
    return new LinkedGraph(graph, handleOf, outCp, inCp);
  }

  /**
   * The edges 0..m−1 in the order they are uploaded: by the label {@code labelOf} gives, and edges
   * with the same label in a fresh random order, so that nothing of the bank's table order remains.
   */
  private int[] byLabel(int m, java.util.function.IntUnaryOperator labelOf) {
    int[] order = Permutations.random(m, random);
    long[] keyed = new long[m];
    for (int i = 0; i < m; i++) {
      keyed[i] = ((long) labelOf.applyAsInt(order[i]) << 32) | i;
    }
    java.util.Arrays.sort(keyed);
    int[] out = new int[m];
    for (int i = 0; i < m; i++) {
      out[i] = order[(int) keyed[i]];
    }
    return out;
  }

  /** The accounts in label order: account[l] has label l. */
  private static int[] accountsByLabel(int[] label) {
    int[] account = new int[label.length];
    for (int a = 0; a < label.length; a++) {
      account[label[a]] = a;
    }
    return account;
  }

  private Header.Builder header(String step) {
    return Header.newBuilder().setStudyId(transport.studyId()).setStep(step).setSeq(++seq);
  }

  private void upload(
      HmacLinkageHasher hasher,
      int[] label,
      Flows intra,
      CrossBankFlows out,
      CrossBankFlows in,
      int[] intraOrder,
      int[] outOrder,
      int[] inOrder,
      Progress progress) {
    CompletableFuture<LinkageReceipt> receipt = new CompletableFuture<>();
    StreamObserver<LinkageUpload> stream =
        async
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .upload(
                new StreamObserver<>() {
                  @Override
                  public void onNext(LinkageReceipt r) {
                    receipt.complete(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    receipt.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    receipt.complete(LinkageReceipt.getDefaultInstance());
                  }
                });
    long edges = (long) intra.size() + out.size() + in.size();
    stream.onNext(
        LinkageUpload.newBuilder()
            .setHeader(header("link/upload"))
            .setSizes(LinkageSizes.newBuilder().setAccounts(label.length).setEdges(edges))
            .build());
    int[] byLabel = accountsByLabel(label);
    sendIdentifiers(stream, hasher, label, byLabel);
    progress.report(0.3);
    sendAccounts(stream, hasher, label, byLabel, out, in);
    progress.report(0.45);
    sendEdges(stream, hasher, label, intra, out, in, intraOrder, outOrder, inOrder);
    progress.report(0.6);
    stream.onCompleted();
    try {
      receipt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new StudyAbortedException(
          "coordinator refused the linkage upload: " + describe(e.getCause()), e);
    } catch (TimeoutException e) {
      throw new StudyAbortedException("no linkage receipt within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StudyAbortedException("interrupted during linkage upload", e);
    }
    progress.report(1);
  }

  private static String describe(Throwable t) {
    Status s = Status.fromThrowable(t);
    return s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription());
  }

  /** Collects blinded values and sends them in chunks. */
  private final class Values {
    private final StreamObserver<LinkageUpload> stream;
    private final boolean identifiers;
    private BlindedValues.Builder b = BlindedValues.newBuilder();
    private byte[] bytes = new byte[CHUNK * LinkageHasher.BYTES];
    private int n;

    Values(StreamObserver<LinkageUpload> stream, boolean identifiers) {
      this.stream = stream;
      this.identifiers = identifiers;
    }

    void add(HmacLinkageHasher hasher, int label, IdentifierKind kind, String value) {
      if (value == null || value.isEmpty()) {
        return;
      }
      hasher.blind(kind, value, bytes, n * LinkageHasher.BYTES);
      b.addLabels(label);
      if (identifiers) {
        b.addKinds(kind);
      }
      if (++n == CHUNK) {
        flush();
      }
    }

    void flush() {
      if (n == 0) {
        return;
      }
      b.setValues(ByteString.copyFrom(bytes, 0, n * LinkageHasher.BYTES));
      LinkageUpload.Builder u = LinkageUpload.newBuilder().setHeader(header("link/upload"));
      stream.onNext((identifiers ? u.setIdentifiers(b) : u.setAccounts(b)).build());
      b = BlindedValues.newBuilder();
      n = 0;
    }
  }

  private void sendIdentifiers(
      StreamObserver<LinkageUpload> stream, HmacLinkageHasher hasher, int[] label, int[] byLabel) {
    Customers c = data.customers();
    Values v = new Values(stream, true);
    for (int a : byLabel) {
      int cust = data.customerOf(a);
      v.add(hasher, label[a], IdentifierKind.NATIONAL_ID, c.nationalId(cust));
      v.add(hasher, label[a], IdentifierKind.EMAIL, c.email(cust));
      v.add(hasher, label[a], IdentifierKind.PHONE, c.phone(cust));
      for (String d : c.devices(cust)) {
        v.add(hasher, label[a], IdentifierKind.DEVICE, d);
      }
    }
    v.flush();
  }

  private void sendAccounts(
      StreamObserver<LinkageUpload> stream,
      HmacLinkageHasher hasher,
      int[] label,
      int[] byLabel,
      CrossBankFlows out,
      CrossBankFlows in) {
    boolean[] cross = new boolean[label.length];
    for (int e = 0; e < out.size(); e++) {
      cross[out.account(e)] = true;
    }
    for (int e = 0; e < in.size(); e++) {
      cross[in.account(e)] = true;
    }
    Values v = new Values(stream, false);
    for (int a : byLabel) {
      if (cross[a]) {
        v.add(
            hasher,
            label[a],
            IdentifierKind.ACCOUNT_NUMBER,
            qualified(data.bankId(), data.accountId(a)));
      }
    }
    v.flush();
  }

  /** The bank-qualified account number both banks of a transfer write the same way. */
  static String qualified(String bank, String account) {
    return bank + "/" + account;
  }

  private void sendEdges(
      StreamObserver<LinkageUpload> stream,
      HmacLinkageHasher hasher,
      int[] label,
      Flows intra,
      CrossBankFlows out,
      CrossBankFlows in,
      int[] intraOrder,
      int[] outOrder,
      int[] inOrder) {
    LocalEdges.Builder b = LocalEdges.newBuilder();
    byte[] cp = new byte[CHUNK * LinkageHasher.BYTES];
    int[] crossInChunk = {0};
    Runnable flush =
        () -> {
          if (b.getOwnLabelsCount() > 0) {
            b.setCounterparties(ByteString.copyFrom(cp, 0, crossInChunk[0] * LinkageHasher.BYTES));
            stream.onNext(
                LinkageUpload.newBuilder().setHeader(header("link/upload")).setEdges(b).build());
            b.clear();
            crossInChunk[0] = 0;
          }
        };
    for (int e : intraOrder) {
      b.addOwnLabels(label[intra.src(e)])
          .addKinds(LocalEdges.EdgeKind.INTRA)
          .addOtherLabels(label[intra.dst(e)]);
      if (b.getOwnLabelsCount() == CHUNK) {
        flush.run();
      }
    }
    for (CrossBankFlows f : List.of(out, in)) {
      LocalEdges.EdgeKind kind =
          f.incoming() ? LocalEdges.EdgeKind.CROSS_IN : LocalEdges.EdgeKind.CROSS_OUT;
      for (int e : f.incoming() ? inOrder : outOrder) {
        hasher.blind(
            IdentifierKind.ACCOUNT_NUMBER,
            qualified(f.foreignBank(e), f.foreignAccount(e)),
            cp,
            crossInChunk[0]++ * LinkageHasher.BYTES);
        b.addOwnLabels(label[f.account(e)]).addKinds(kind).addOtherLabels(0);
        if (b.getOwnLabelsCount() == CHUNK) {
          flush.run();
        }
      }
    }
    flush.run();
  }

  private Map<String, int[]> fetchView() {
    Map<String, int[]> cols = new HashMap<>();
    Map<String, Integer> filled = new HashMap<>();
    try {
      Iterator<JointGraphChunk> it =
          blocking
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .jointGraph(JointGraphRequest.newBuilder().setHeader(header("link/graph")).build());
      long expect = 1;
      while (it.hasNext()) {
        JointGraphChunk c = it.next();
        if (!c.getHeader().getStudyId().equals(transport.studyId())
            || c.getHeader().getSeq() != expect++) {
          throw new StudyAbortedException("joint graph chunk out of sequence or of another study");
        }
        int[] col =
            cols.computeIfAbsent(c.getColumn(), k -> new int[Math.toIntExact(c.getTotal())]);
        int at = filled.getOrDefault(c.getColumn(), 0);
        if (at + c.getValuesCount() > col.length) {
          throw new StudyAbortedException("joint graph column " + c.getColumn() + " overruns");
        }
        for (int i = 0; i < c.getValuesCount(); i++) {
          col[at + i] = c.getValues(i);
        }
        filled.put(c.getColumn(), at + c.getValuesCount());
      }
    } catch (StatusRuntimeException e) {
      throw new StudyAbortedException("coordinator refused the joint graph: " + describe(e), e);
    }
    for (String name : ViewColumns.ALL) {
      int[] col = cols.get(name);
      if (col == null || filled.get(name) != col.length) {
        throw new StudyAbortedException("joint graph column " + name + " is missing or short");
      }
    }
    return cols;
  }
}
