package io.cleanroom.coordinator.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.FuzzFrames;
import io.cleanroom.coordinator.RecordingObserver;
import io.cleanroom.protocol.linkage.LinkageResult;
import io.cleanroom.protocol.testing.AsParty;
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
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary linkage uploads from participants, a bank outside the study and the operator, through
 * {@link LinkageService#upload}: every stream ends with a receipt of the study or a refusal status,
 * never an unexpected exception, and once both participants' uploads are in, the match completes
 * without an exception.
 *
 * <p>The input is a sequence of frames (one byte naming the caller, one byte naming the action:
 * send a chunk, complete or cancel the caller's stream, or ask for the joint graph; for a chunk, a
 * length-delimited {@link LinkageUpload}, for the graph a {@link JointGraphRequest}). Open streams
 * are completed at the end. Uploads announcing more than {@value #MAX_FUZZED} accounts or edges are
 * left out, so that an execution stays fast.
 */
class LinkageServiceFuzzTest {
  private static final int MAX_FUZZED = 1 << 12;
  private static final String STUDY = "st-1";
  private static final Set<Status.Code> REFUSALS =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.PERMISSION_DENIED,
          Status.Code.FAILED_PRECONDITION);
  private static AsParty parties;

  @FuzzTest(maxDuration = "60s")
  void upload(byte[] input) throws IOException, GeneralSecurityException {
    run(input);
  }

  /** Runs the frames of {@code input}; returns the study's match. */
  private static CompletableFuture<LinkageResult> run(byte[] input)
      throws IOException, GeneralSecurityException {
    parties = FuzzFrames.parties();
    LinkageService linkage = new LinkageService(Runnable::run);
    linkage.open(STUDY, List.of("bank-a", "bank-b"));
    Map<String, StreamObserver<LinkageUpload>> open = new HashMap<>();
    Map<String, RecordingObserver<LinkageReceipt>> receipts = new HashMap<>();
    Map<RecordingObserver<JointGraphChunk>, String> graphs = new java.util.IdentityHashMap<>();
    FuzzFrames frames = new FuzzFrames(input);
    for (FuzzFrames.Action frame; (frame = frames.action()) != null; ) {
      String name = frame.caller();
      int action = frame.code();
      if (action % 4 == 0) {
        LinkageUpload chunk = frames.message(LinkageUpload.parser());
        if (chunk == null || tooLarge(chunk)) {
          break;
        }
        StreamObserver<LinkageUpload> stream =
            open.computeIfAbsent(name, n -> start(linkage, n, receipts));
        stream.onNext(chunk);
      } else if (action % 4 == 3) {
        JointGraphRequest request = frames.message(JointGraphRequest.parser());
        if (request == null) {
          break;
        }
        RecordingObserver<JointGraphChunk> responses = new RecordingObserver<>();
        parties.run(
            name, LinkageGrpc.getJointGraphMethod(), () -> linkage.jointGraph(request, responses));
        graphs.put(responses, request.getHeader().getStudyId());
      } else if (open.containsKey(name)) {
        end(name, action % 4 == 1, open, receipts);
      }
    }
    for (String name : List.copyOf(open.keySet())) {
      end(name, true, open, receipts);
    }
    CompletableFuture<LinkageResult> result = linkage.result(STUDY);
    if (result.isDone()) {
      assertNull(
          result.handle((r, e) -> e).join(), "the match failed on uploads the service accepted");
    }
    // A request for the joint graph is refused, or waits for the match and then gets its view.
    graphs.forEach(
        (responses, study) -> {
          if (responses.error() != null) {
            assertTrue(
                REFUSALS.contains(responses.error().getCode()), responses.error().toString());
          } else if (result.isDone()) {
            assertTrue(responses.completed(), "the joint graph was not sent after the match");
            responses.messages().forEach(c -> assertEquals(STUDY, c.getHeader().getStudyId()));
          } else {
            assertFalse(responses.ended(), "the joint graph ended before the match");
          }
        });
    return result;
  }

  private static StreamObserver<LinkageUpload> start(
      LinkageService linkage,
      String name,
      Map<String, RecordingObserver<LinkageReceipt>> receipts) {
    RecordingObserver<LinkageReceipt> responses = new RecordingObserver<>();
    receipts.put(name, responses);
    @SuppressWarnings("unchecked")
    StreamObserver<LinkageUpload>[] stream = new StreamObserver[1];
    parties.run(name, LinkageGrpc.getUploadMethod(), () -> stream[0] = linkage.upload(responses));
    return stream[0];
  }

  private static void end(
      String name,
      boolean complete,
      Map<String, StreamObserver<LinkageUpload>> open,
      Map<String, RecordingObserver<LinkageReceipt>> receipts) {
    StreamObserver<LinkageUpload> stream = open.remove(name);
    if (complete) {
      stream.onCompleted();
    } else {
      stream.onError(Status.CANCELLED.asRuntimeException());
    }
    RecordingObserver<LinkageReceipt> responses = receipts.get(name);
    if (!complete && !responses.ended()) {
      return; // a cancelled upload gets no answer
    }
    assertTrue(responses.ended(), "the upload of " + name + " did not end");
    if (responses.error() != null) {
      assertTrue(REFUSALS.contains(responses.error().getCode()), responses.error().toString());
    } else {
      assertEquals(1, responses.messages().size());
      assertEquals(STUDY, responses.messages().get(0).getStudyId());
    }
  }

  private static boolean tooLarge(LinkageUpload chunk) {
    return chunk.hasSizes()
        && (Integer.toUnsignedLong(chunk.getSizes().getAccounts()) > MAX_FUZZED
            || chunk.getSizes().getEdges() < 0
            || chunk.getSizes().getEdges() > MAX_FUZZED);
  }

  /** Two well-formed uploads that share an identifier and a cross-bank transfer are matched. */
  @Test
  void wellFormedUploads_areAcceptedAndMatched() throws Exception {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    byte[] shared = new byte[16];
    shared[3] = 7;
    byte[] accountB0 = new byte[16];
    accountB0[0] = 1;
    for (int bank = 0; bank < 2; bank++) {
      long seq = 1;
      List<LinkageUpload.Builder> chunks =
          java.util.Arrays.asList(
              LinkageUpload.newBuilder()
                  .setSizes(LinkageSizes.newBuilder().setAccounts(2).setEdges(bank == 0 ? 2 : 1)),
              LinkageUpload.newBuilder()
                  .setIdentifiers(
                      BlindedValues.newBuilder()
                          .addLabels(1)
                          .addKinds(IdentifierKind.EMAIL)
                          .setValues(ByteString.copyFrom(shared))),
              bank == 1
                  ? LinkageUpload.newBuilder()
                      .setAccounts(
                          BlindedValues.newBuilder()
                              .addLabels(0)
                              .setValues(ByteString.copyFrom(accountB0)))
                  : LinkageUpload.newBuilder()
                      .setEdges(
                          LocalEdges.newBuilder()
                              .addOwnLabels(0)
                              .addKinds(LocalEdges.EdgeKind.INTRA)
                              .addOtherLabels(1)
                              .addOwnLabels(1)
                              .addKinds(LocalEdges.EdgeKind.CROSS_OUT)
                              .addOtherLabels(0)
                              .setCounterparties(ByteString.copyFrom(accountB0))),
              bank == 1
                  ? LinkageUpload.newBuilder()
                      .setEdges(
                          LocalEdges.newBuilder()
                              .addOwnLabels(0)
                              .addKinds(LocalEdges.EdgeKind.CROSS_IN)
                              .addOtherLabels(0)
                              .setCounterparties(ByteString.copyFrom(accountB0)))
                  : null);
      for (LinkageUpload.Builder c : chunks) {
        if (c == null) {
          continue;
        }
        frames.write(bank);
        frames.write(0);
        c.setHeader(Header.newBuilder().setStudyId(STUDY).setSeq(seq++))
            .build()
            .writeDelimitedTo(frames);
      }
      frames.write(bank);
      frames.write(1);
    }
    // bank-a asks for its view of the joint graph once both uploads are in; the outsider bank-c
    // asks too and is refused.
    for (int caller : new int[] {0, 2}) {
      frames.write(caller);
      frames.write(3);
      JointGraphRequest.newBuilder()
          .setHeader(Header.newBuilder().setStudyId(STUDY).setSeq(1))
          .build()
          .writeDelimitedTo(frames);
    }
    CompletableFuture<LinkageResult> result = run(frames.toByteArray());
    assertTrue(result.isDone(), "both uploads were accepted, so the match ran");
    assertEquals(2, result.join().views().size());
  }
}
