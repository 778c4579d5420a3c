package io.cleanroom.coordinator.linkage;

import io.cleanroom.coordinator.stream.FlowControlledSender;
import io.cleanroom.protocol.linkage.LinkageMatcher;
import io.cleanroom.protocol.linkage.LinkageResult;
import io.cleanroom.protocol.linkage.NodeView;
import io.cleanroom.protocol.linkage.PartyUpload;
import io.cleanroom.protocol.linkage.ViewColumns;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.service.RefusedCall;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.JointGraphChunk;
import io.cleanroom.protocol.wire.v1.JointGraphRequest;
import io.cleanroom.protocol.wire.v1.LinkageGrpc;
import io.cleanroom.protocol.wire.v1.LinkageReceipt;
import io.cleanroom.protocol.wire.v1.LinkageUpload;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator's {@code Linkage} service. Per study it holds a fresh 256-bit key of its own,
 * blinds every value it receives again with it, keeps only the doubly-blinded values, matches them
 * once every participant has uploaded, and serves each participant its {@link NodeView}. The caller
 * is the node its certificate names and must be a participant; an upload's chunks carry consecutive
 * sequence numbers; a second upload by the same node is refused.
 */
public final class LinkageService extends LinkageGrpc.LinkageImplBase {

  private static final System.Logger LOG = System.getLogger(LinkageService.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CHUNK = 1 << 19;

  private final Map<String, StudyLinkage> studies = new ConcurrentHashMap<>();
  private final Executor matcher;

  /**
   * @param matcher where matching runs once the last upload has arrived
   */
  public LinkageService(Executor matcher) {
    this.matcher = matcher;
  }

  private static final class StudyLinkage {
    final List<String> participants;
    final byte[] key = new byte[32];
    final PartyUpload[] uploads;
    final CompletableFuture<LinkageResult> result = new CompletableFuture<>();
    final AtomicLong bytesSent = new AtomicLong();
    int received;

    StudyLinkage(List<String> participants) {
      this.participants = List.copyOf(participants);
      this.uploads = new PartyUpload[participants.size()];
      RANDOM.nextBytes(key);
    }
  }

  /** Starts accepting uploads for a study. */
  public void open(String studyId, List<String> participants) {
    studies.put(studyId, new StudyLinkage(participants));
  }

  /** Forgets a study's key, uploads and result. */
  public void close(String studyId) {
    StudyLinkage s = studies.remove(studyId);
    if (s != null) {
      Arrays.fill(s.key, (byte) 0);
      s.result.cancel(false);
    }
  }

  /** The linkage result of a study, once every participant has uploaded. */
  public CompletableFuture<LinkageResult> result(String studyId) {
    StudyLinkage s = studies.get(studyId);
    return s == null
        ? CompletableFuture.failedFuture(new IllegalStateException("no linkage for " + studyId))
        : s.result;
  }

  /** Bytes of joint-graph views sent for a study. */
  public long bytesSent(String studyId) {
    StudyLinkage s = studies.get(studyId);
    return s == null ? 0 : s.bytesSent.get();
  }

  private StudyLinkage study(PartyIdentity caller, Header h) throws RefusedCall {
    if (caller.role() != Role.NODE) {
      throw new RefusedCall(Status.PERMISSION_DENIED, caller + " is not a bank node");
    }
    StudyLinkage s = studies.get(h.getStudyId());
    if (s == null) {
      throw new RefusedCall(
          Status.FAILED_PRECONDITION,
          "linkage for study \"" + h.getStudyId() + "\", which is not linking");
    }
    if (!s.participants.contains(caller.name())) {
      throw new RefusedCall(
          Status.PERMISSION_DENIED,
          caller.name() + " is not a participant of study " + h.getStudyId());
    }
    return s;
  }

  @Override
  public StreamObserver<LinkageUpload> upload(StreamObserver<LinkageReceipt> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    return new StreamObserver<>() {
      private StudyLinkage study;
      private String studyId;
      private UploadBuffer buffer;
      private long seq;
      private boolean refused;

      @Override
      public void onNext(LinkageUpload chunk) {
        if (refused) {
          return;
        }
        try {
          Header h = chunk.getHeader();
          if (study == null) {
            study = study(caller, h);
            studyId = h.getStudyId();
            buffer = new UploadBuffer(study.key);
          } else if (!h.getStudyId().equals(studyId)) {
            throw new RefusedCall(
                Status.FAILED_PRECONDITION,
                "upload of study " + studyId + " continued with study " + h.getStudyId());
          }
          if (h.getSeq() != seq + 1) {
            throw new RefusedCall(
                Status.FAILED_PRECONDITION,
                (h.getSeq() <= seq ? "replayed" : "out-of-order")
                    + " linkage chunk from "
                    + caller.name()
                    + ": seq "
                    + h.getSeq()
                    + ", expected "
                    + (seq + 1));
          }
          seq = h.getSeq();
          switch (chunk.getBodyCase()) {
            case SIZES -> buffer.sizes(chunk.getSizes());
            case IDENTIFIERS -> buffer.identifiers(chunk.getIdentifiers());
            case ACCOUNTS -> buffer.accounts(chunk.getAccounts());
            case EDGES -> buffer.edges(chunk.getEdges());
            default -> throw new IllegalArgumentException("empty linkage chunk");
          }
        } catch (RefusedCall e) {
          refuse(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
          refuse(
              Status.INVALID_ARGUMENT,
              "linkage upload from " + caller.name() + ": " + e.getMessage());
        }
      }

      private void refuse(Status status, String reason) {
        refused = true;
        LOG.log(System.Logger.Level.WARNING, "refused: " + reason);
        responses.onError(status.withDescription(reason).asRuntimeException());
      }

      @Override
      public void onError(Throwable t) {
        // The node gave up; its study will abort through its control session.
      }

      @Override
      public void onCompleted() {
        if (refused) {
          return;
        }
        if (study == null) {
          refuse(Status.INVALID_ARGUMENT, "empty linkage upload from " + caller.name());
          return;
        }
        PartyUpload upload;
        try {
          upload = buffer.finish();
        } catch (IllegalArgumentException e) {
          refuse(
              Status.INVALID_ARGUMENT,
              "linkage upload from " + caller.name() + ": " + e.getMessage());
          return;
        }
        int party = study.participants.indexOf(caller.name());
        boolean last;
        synchronized (study) {
          if (study.uploads[party] != null) {
            refuse(Status.FAILED_PRECONDITION, caller.name() + " uploaded twice");
            return;
          }
          study.uploads[party] = upload;
          last = ++study.received == study.uploads.length;
        }
        if (last) {
          StudyLinkage s = study;
          matcher.execute(
              () -> {
                try {
                  s.result.complete(LinkageMatcher.match(Arrays.asList(s.uploads), RANDOM));
                  Arrays.fill(s.uploads, null);
                } catch (RuntimeException e) {
                  s.result.completeExceptionally(e);
                }
              });
        }
        responses.onNext(
            LinkageReceipt.newBuilder()
                .setStudyId(studyId)
                .setAccounts(upload.accounts())
                .setEdges(upload.edgeOwn().length)
                .build());
        responses.onCompleted();
      }
    };
  }

  @Override
  public void jointGraph(JointGraphRequest req, StreamObserver<JointGraphChunk> responses) {
    PartyIdentity caller = PeerIdentityInterceptor.current();
    StudyLinkage s;
    try {
      s = study(caller, req.getHeader());
    } catch (RefusedCall e) {
      LOG.log(System.Logger.Level.WARNING, "refused: " + e.getMessage());
      responses.onError(e.toStatus());
      return;
    }
    int party = s.participants.indexOf(caller.name());
    FlowControlledSender<JointGraphChunk> sender =
        FlowControlledSender.prepare(responses, c -> s.bytesSent.addAndGet(c.getSerializedSize()));
    s.result.whenComplete(
        (r, err) -> {
          try {
            if (err != null) {
              responses.onError(
                  Status.ABORTED
                      .withDescription("linkage failed: " + err.getMessage())
                      .asRuntimeException());
              return;
            }
            sender.send(chunks(req.getHeader().getStudyId(), r.views().get(party)).iterator());
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot send the joint graph to " + caller, e);
            responses.onError(
                Status.INTERNAL.withDescription(String.valueOf(e)).asRuntimeException());
          }
        });
  }

  /** The view as named int columns, each split into chunks of at most 2^19 values. */
  private static List<JointGraphChunk> chunks(String studyId, NodeView v) {
    List<JointGraphChunk> out = new ArrayList<>();
    int[][] columns = ViewColumns.of(v);
    List<String> names = ViewColumns.ALL;
    long seq = 0;
    for (int c = 0; c < columns.length; c++) {
      int[] col = columns[c];
      int offset = 0;
      do {
        int n = Math.min(CHUNK, col.length - offset);
        JointGraphChunk.Builder b =
            JointGraphChunk.newBuilder()
                .setHeader(
                    Header.newBuilder().setStudyId(studyId).setStep("link/graph").setSeq(++seq))
                .setColumn(names.get(c))
                .setTotal(col.length);
        for (int i = offset; i < offset + n; i++) {
          b.addValues(col[i]);
        }
        out.add(b.build());
        offset += n;
      } while (offset < col.length);
    }
    return out;
  }
}
