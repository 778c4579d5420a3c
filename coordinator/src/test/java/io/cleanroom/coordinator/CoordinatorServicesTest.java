package io.cleanroom.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.Hello;
import io.cleanroom.protocol.wire.v1.Join;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's services over real mutual TLS, driven by hand-made clients. */
class CoordinatorServicesTest {

  @TempDir Path temp;
  private Coordinator coordinator;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ConsortiumPki.init(temp.resolve("pki"), List.of("bank-a", "bank-b"), List.of());
    coordinator =
        new Coordinator(
                new CoordinatorConfig.Resolved(
                    "coordinator",
                    io.cleanroom.protocol.config.Endpoint.parse("127.0.0.1:0"),
                    temp.resolve("pki/coordinator"),
                    2,
                    temp.resolve("records"),
                    null),
                TlsMaterial.loadDir(temp.resolve("pki/coordinator")))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    coordinator.stop();
  }

  private ManagedChannel channelAs(String party) throws Exception {
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + coordinator.port(),
                MutualTls.channelCredentials(
                    TlsMaterial.loadDir(temp.resolve("pki").resolve(party)),
                    new PartyIdentity("coordinator", Role.COORDINATOR)))
            .overrideAuthority("coordinator")
            .build();
    channels.add(ch);
    return ch;
  }

  private static StudyPlan plan() {
    return StudyPlan.newBuilder()
        .addParticipants("bank-a")
        .addParticipants("bank-b")
        .setTimeoutSeconds(20)
        .build();
  }

  private static StudySummary finalSummary(Iterator<StudyProgress> it) {
    while (it.hasNext()) {
      StudyProgress p = it.next();
      if (p.hasSummary()) {
        return p.getSummary();
      }
    }
    throw new AssertionError("no summary");
  }

  @Test
  void nodeCertificate_mayNotRunStudies() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                OperatorGrpc.newBlockingStub(channelAs("bank-a"))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .runStudy(plan())
                    .hasNext());
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("the operator role is required"));
  }

  @Test
  void invalidPlan_isRefused() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                OperatorGrpc.newBlockingStub(channelAs("operator"))
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .runStudy(StudyPlan.newBuilder().addParticipants("bank-a").build())
                    .hasNext());
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("at least 2 participants"));
  }

  /** A hand-driven node control session. */
  private final class FakeNode implements StreamObserver<CoordinatorMessage> {
    final BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final StreamObserver<NodeMessage> out;
    long seq;

    FakeNode(String party) throws Exception {
      out =
          CoordinationGrpc.newStub(channelAs(party))
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .session(this);
    }

    void send(String study, String step, long seq, NodeMessage.Builder m) {
      out.onNext(
          m.setHeader(Header.newBuilder().setStudyId(study).setStep(step).setSeq(seq)).build());
    }

    void hello() throws InterruptedException {
      send(
          "",
          "control/hello",
          ++seq,
          NodeMessage.newBuilder().setHello(Hello.getDefaultInstance()));
      assertTrue(received.poll(5, TimeUnit.SECONDS).hasWelcome());
    }

    @Override
    public void onNext(CoordinatorMessage m) {
      received.add(m);
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }

  @Test
  void operatorCertificate_mayNotOpenAControlSession() throws Exception {
    FakeNode fake = new FakeNode("operator");
    fake.send(
        "", "control/hello", 1, NodeMessage.newBuilder().setHello(Hello.getDefaultInstance()));
    Status s = fake.ended.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
    assertTrue(s.getDescription().contains("control sessions are for nodes"));
  }

  @Test
  void outOfSequenceControlMessage_endsTheSession() throws Exception {
    FakeNode node = new FakeNode("bank-a");
    node.hello();
    node.send(
        "", "control/hello", 5, NodeMessage.newBuilder().setHello(Hello.getDefaultInstance()));
    Status s = node.ended.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.FAILED_PRECONDITION, s.getCode());
    assertTrue(s.getDescription().contains("seq 5, expected 2"), s.getDescription());
  }

  @Test
  void missingParticipant_abortsTheStudy() throws Exception {
    FakeNode a = new FakeNode("bank-a");
    a.hello();
    StudySummary summary =
        finalSummary(
            OperatorGrpc.newBlockingStub(channelAs("operator"))
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .runStudy(plan()));
    assertEquals("ABORTED", summary.getState());
    assertTrue(summary.getAbortReason().contains("not connected"), summary.getAbortReason());
    assertTrue(summary.getAbortReason().contains("bank-b"), summary.getAbortReason());
  }

  @Test
  void joinWithForgedSignature_abortsTheStudyAtEveryParticipant() throws Exception {
    FakeNode a = new FakeNode("bank-a");
    FakeNode b = new FakeNode("bank-b");
    a.hello();
    b.hello();
    Iterator<StudyProgress> progress =
        OperatorGrpc.newBlockingStub(channelAs("operator"))
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .runStudy(plan());
    TlsMaterial keyA = TlsMaterial.loadDir(temp.resolve("pki/bank-a"));
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage open = n.received.poll(5, TimeUnit.SECONDS);
      assertTrue(open.hasOpen());
      byte[] digest = open.getOpen().getPlanDigest().toByteArray();
      // bank-b signs with bank-a's key: a valid signature, but not bank-b's
      n.send(
          open.getHeader().getStudyId(),
          "control/join",
          ++n.seq,
          NodeMessage.newBuilder()
              .setJoin(
                  Join.newBuilder()
                      .setPlanDigest(open.getOpen().getPlanDigest())
                      .setSignature(ByteString.copyFrom(keyA.sign(digest)))));
    }
    StudySummary summary = finalSummary(progress);
    assertEquals("ABORTED", summary.getState());
    assertTrue(
        summary.getAbortReason().contains("bank-b's signature over the plan does not verify"),
        summary.getAbortReason());
    for (FakeNode n : List.of(a, b)) {
      CoordinatorMessage abort = n.received.poll(5, TimeUnit.SECONDS);
      assertTrue(abort.hasAbort(), abort.toString());
    }
  }
}
