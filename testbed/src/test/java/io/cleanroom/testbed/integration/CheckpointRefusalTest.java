package io.cleanroom.testbed.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cleanroom.coordinator.log.ProtocolLog;
import io.cleanroom.node.Node;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.CoordinationGrpc;
import io.cleanroom.protocol.wire.v1.CoordinatorMessage;
import io.cleanroom.protocol.wire.v1.Destroyed;
import io.cleanroom.protocol.wire.v1.Header;
import io.cleanroom.protocol.wire.v1.LogCheckpoint;
import io.cleanroom.protocol.wire.v1.NodeMessage;
import io.cleanroom.protocol.wire.v1.OpenStudy;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.Welcome;
import io.cleanroom.testbed.generate.SimpleGenerator;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real bank node against a coordinator that shows it one history of a study's protocol log and
 * then another: the node refuses the checkpoint that does not extend the one it accepted, aborts
 * the study, destroys its session store and signs for it.
 */
class CheckpointRefusalTest {

  private static final String STUDY = "st-split-view";
  private static final LogSigningKey KEY = LogSigningKey.generate(new SecureRandom());

  @TempDir Path temp;
  private Server coordinator;
  private Node node;
  private final BlockingQueue<NodeMessage> fromNode = new LinkedBlockingQueue<>();
  private final List<ProtocolLog> logs = new ArrayList<>();
  private volatile StreamObserver<CoordinatorMessage> toNode;
  private long seq;

  @BeforeEach
  void start() throws Exception {
    Path pki = temp.resolve("pki");
    ConsortiumPki.init(pki, List.of("bank-a", "bank-b"), List.of());
    coordinator =
        Grpc.newServerBuilderForPort(
                0,
                MutualTls.serverCredentials(
                    TlsMaterial.loadDir(pki.resolve("coordinator")), EnumSet.of(Role.NODE)))
            .addService(
                ServerInterceptors.intercept(new FakeCoordination(), new PeerIdentityInterceptor()))
            .build()
            .start();
    int port = ((InetSocketAddress) coordinator.getListenSockets().get(0)).getPort();
    Path data = temp.resolve("data");
    SimpleGenerator.generate(data, 2, 200, 1);
    NodeConfig.Resolved config =
        new NodeConfig.Resolved(
            "bank-a",
            Endpoint.parse("127.0.0.1:0"),
            pki.resolve("bank-a"),
            "coordinator",
            Endpoint.parse("127.0.0.1:" + port),
            List.of("bank-b"),
            List.of(Endpoint.parse("127.0.0.1:1")),
            data.resolve("bank-a"),
            temp.resolve("work"),
            30,
            null);
    node =
        new Node(
                config,
                BankData.load(data.resolve("bank-a"), "bank-a"),
                TlsMaterial.loadDir(pki.resolve("bank-a")))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    node.stop();
    coordinator.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    for (ProtocolLog log : logs) {
      log.close();
    }
  }

  private final class FakeCoordination extends CoordinationGrpc.CoordinationImplBase {
    @Override
    public StreamObserver<NodeMessage> session(StreamObserver<CoordinatorMessage> responses) {
      toNode = responses;
      return new StreamObserver<>() {
        @Override
        public void onNext(NodeMessage m) {
          fromNode.add(m);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }

  private void send(String step, CoordinatorMessage.Builder m) {
    toNode.onNext(
        m.setHeader(Header.newBuilder().setStudyId(STUDY).setStep(step).setSeq(++seq)).build());
  }

  private NodeMessage next() throws InterruptedException {
    NodeMessage m = fromNode.poll(20, TimeUnit.SECONDS);
    assertNotNull(m, "the node said nothing");
    return m;
  }

  private static LogCheckpoint message(CheckpointUpdate u) {
    LogCheckpoint.Builder m =
        LogCheckpoint.newBuilder()
            .setCheckpoint(ByteString.copyFrom(u.checkpoint().encode()))
            .setPreviousSize(u.previousSize());
    u.consistencyProof().forEach(h -> m.addConsistencyProof(ByteString.copyFrom(h)));
    return m.build();
  }

  /** A log of the study with {@code bodies} as STATE entries. */
  private ProtocolLog log(String name, String... bodies) throws Exception {
    ProtocolLog log = ProtocolLog.create(temp.resolve(name), STUDY, KEY);
    logs.add(log);
    for (String body : bodies) {
      log.append(EntryKind.STATE, STUDY, body);
    }
    return log;
  }

  /** Opens the study at the node and has it accept a first checkpoint of size 3. */
  private ProtocolLog openAndAcceptAFirstCheckpoint() throws Exception {
    assertTrue(next().hasHello());
    toNode.onNext(
        CoordinatorMessage.newBuilder()
            .setHeader(Header.newBuilder().setStep("control/welcome").setSeq(++seq))
            .setWelcome(Welcome.getDefaultInstance())
            .build());
    StudyPlan plan =
        StudyPlan.newBuilder()
            .setStudyId(STUDY)
            .addParticipants("bank-a")
            .addParticipants("bank-b")
            .setTask(Tasks.LINKED_RISK)
            .setTimeoutSeconds(60)
            .setFractionBits(20)
            .build();
    send(
        "control/open",
        CoordinatorMessage.newBuilder()
            .setOpen(
                OpenStudy.newBuilder()
                    .setPlan(plan)
                    .setPlanDigest(ByteString.copyFrom(PlanDigest.of(plan)))
                    .setLogKey(ByteString.copyFrom(KEY.publicKey().raw()))));
    assertTrue(next().hasJoin());
    ProtocolLog seen = log("seen", "{\"state\":\"OPEN\"}", "{\"n\":1}", "{\"n\":2}");
    send(
        "control/checkpoint",
        CoordinatorMessage.newBuilder().setCheckpoint(message(seen.checkpoint())));
    return seen;
  }

  /** The node's abort, then its signed receipt; its session folder is gone. */
  private String abortAndReceipt() throws Exception {
    NodeMessage abort = next();
    assertTrue(abort.hasAbort(), abort.toString());
    NodeMessage receipt = next();
    assertTrue(receipt.hasDestroyed(), receipt.toString());
    Destroyed d = receipt.getDestroyed();
    new DestructionReceipt(
            STUDY,
            "bank-a",
            d.getFiles(),
            d.getBytes(),
            d.getListingSha256(),
            d.getDestroyedAtMillis(),
            d.getSignature().toByteArray())
        .verify(TlsMaterial.loadDir(temp.resolve("pki/bank-a")).certificate());
    try (Stream<Path> sessions = Files.list(temp.resolve("work").resolve(WorkFolder.SESSIONS))) {
      assertEquals(0, sessions.count());
    }
    return abort.getAbort().getReason();
  }

  @Test
  void checkpointOfAnotherHistory_abortsTheStudy() throws Exception {
    openAndAcceptAFirstCheckpoint();
    // Another log of the same study and key, whose first three entries differ from those the node
    // saw: a checkpoint of it, with a proof from size 3, cannot verify against the accepted root.
    ProtocolLog other =
        log("other", "{\"state\":\"OPEN\"}", "{\"n\":1}", "{\"n\":99}", "{\"n\":3}", "{\"n\":4}");
    Checkpoint rewritten = other.checkpoint().checkpoint();
    send(
        "control/checkpoint",
        CoordinatorMessage.newBuilder()
            .setCheckpoint(
                message(new CheckpointUpdate(rewritten, 3, other.consistencyProof(3, 5)))));
    String reason = abortAndReceipt();
    assertTrue(
        reason.startsWith(
            "bank-a refused a checkpoint of the protocol log: checkpoint of size 5 is not"
                + " consistent with the accepted checkpoint of size 3"),
        reason);
  }

  @Test
  void checkpointSignedWithAnotherKey_abortsTheStudy() throws Exception {
    ProtocolLog seen = openAndAcceptAFirstCheckpoint();
    seen.append(EntryKind.STATE, STUDY, "{\"n\":3}");
    Checkpoint genuine = seen.checkpoint().checkpoint();
    LogSigningKey other = LogSigningKey.generate(new SecureRandom());
    Checkpoint forged =
        Checkpoint.sign(
            STUDY, genuine.treeSize(), genuine.rootHash(), genuine.timestampMillis(), other);
    send(
        "control/checkpoint",
        CoordinatorMessage.newBuilder()
            .setCheckpoint(message(new CheckpointUpdate(forged, 3, seen.consistencyProof(3, 4)))));
    String reason = abortAndReceipt();
    assertTrue(
        reason.contains("checkpoint of size 4: signed by key " + other.publicKey().fingerprint()),
        reason);
  }
}
