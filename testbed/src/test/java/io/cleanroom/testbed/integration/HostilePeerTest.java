package io.cleanroom.testbed.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.net.Inboxes;
import io.cleanroom.node.net.PeerChannels;
import io.cleanroom.node.net.PeerExchangeService;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.transport.Framing;
import io.cleanroom.protocol.transport.Inbox;
import io.cleanroom.protocol.transport.StudyAbortedException;
import io.cleanroom.protocol.wire.v1.Batch;
import io.cleanroom.protocol.wire.v1.PeerExchangeGrpc;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile party on the peer exchange, over real gRPC and mutual TLS on loopback. Each honest node
 * serves {@code PeerExchange} as a production node does (clients with the node or operator role, 4
 * MiB per inbound message). bank-c uses its real certificate but writes raw bytes on the stream to
 * bank-a: replays, gaps, oversized batches, batches of another study or step, malformed payloads.
 * The operator and coordinator use their own valid certificates. Each time the hostile stream ends
 * with a Status naming the problem, and a participant's misbehaviour stops bank-a's study within
 * seconds: its next receive fails with a reason naming the sender and the problem.
 */
class HostilePeerTest {

  private static final String STUDY = "st-hostile";
  private static final List<String> PARTIES = List.of("bank-a", "bank-b", "bank-c");

  /** The production node's limit (Node.java). */
  private static final int MAX_INBOUND_MESSAGE = 4 << 20;

  /** Long enough that a stop within {@link #PROMPT} cannot be the study's own timeout. */
  private static final Duration STUDY_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration PROMPT = Duration.ofSeconds(3);

  /** One consortium PKI for all cases; making its keys is the slow part of setting up. */
  @TempDir static Path pki;

  private final Map<String, Inboxes> inboxes = new LinkedHashMap<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<PeerChannels> peerChannels = new ArrayList<>();
  private final Map<String, Inbox> study = new LinkedHashMap<>();
  private GrpcTransport honestB;
  private GrpcTransport honestA;

  @BeforeAll
  static void makePki() throws Exception {
    ConsortiumPki.init(pki, PARTIES, List.of());
  }

  @BeforeEach
  void start() throws Exception {
    for (String p : PARTIES) {
      Inboxes in = new Inboxes();
      inboxes.put(p, in);
      Server s =
          Grpc.newServerBuilderForPort(
                  0,
                  MutualTls.serverCredentials(
                      TlsMaterial.loadDir(pki.resolve(p)), EnumSet.of(Role.NODE, Role.OPERATOR)))
              .addService(
                  ServerInterceptors.intercept(
                      new PeerExchangeService(p, in), new PeerIdentityInterceptor()))
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE)
              .build()
              .start();
      servers.add(s);
      ports.put(p, ((InetSocketAddress) s.getListenSockets().get(0)).getPort());
    }
    for (String p : PARTIES) {
      Inbox inbox = new Inbox(STUDY, p, PARTIES, 1L << 28, STUDY_TIMEOUT);
      inboxes.get(p).register(inbox);
      study.put(p, inbox);
    }
    honestA = transport("bank-a");
    honestB = transport("bank-b");
    // The honest parties have started: bank-b's first message reaches bank-a.
    honestB.send("bank-a", "s/1", Batch.Kind.SHARES, new long[] {7, 8, 9});
    assertEquals(9, study.get("bank-a").take("bank-b", "s/1")[2]);
  }

  private GrpcTransport transport(String p) throws Exception {
    PeerChannels c =
        new PeerChannels(
            TlsMaterial.loadDir(pki.resolve(p)), q -> new Endpoint("127.0.0.1", ports.get(q)));
    peerChannels.add(c);
    return new GrpcTransport(STUDY, p, PARTIES, study.get(p), c, STUDY_TIMEOUT);
  }

  @AfterEach
  void stop() throws Exception {
    honestA.cancel("test over");
    honestB.cancel("test over");
    channels.forEach(ManagedChannel::shutdownNow);
    for (PeerChannels c : peerChannels) {
      c.close();
    }
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  // ---- the hostile side: raw messages on PeerExchange.Exchange with a real certificate ----

  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<byte[], byte[]> EXCHANGE_RAW =
      PeerExchangeGrpc.getExchangeMethod().toBuilder(RAW, RAW).build();

  /**
   * Streams {@code messages} (each the bytes of one gRPC message) to {@code to} with the
   * certificate in folder {@code as}; returns the Status the stream ended with.
   */
  private Status streamAs(String as, String to, byte[]... messages) throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + ports.get(to),
                MutualTls.channelCredentials(
                    TlsMaterial.loadDir(pki.resolve(as)), new PartyIdentity(to, Role.NODE)))
            .overrideAuthority(to)
            .build();
    channels.add(channel);
    CompletableFuture<Status> end = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call =
        channel.newCall(EXCHANGE_RAW, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    StreamObserver<byte[]> out =
        ClientCalls.asyncClientStreamingCall(
            call,
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] receipt) {}

              @Override
              public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                end.complete(Status.OK);
              }
            });
    for (byte[] m : messages) {
      out.onNext(m);
    }
    out.onCompleted();
    return end.get(10, TimeUnit.SECONDS);
  }

  private Status fromC(Batch... batches) throws Exception {
    byte[][] raw = new byte[batches.length][];
    for (int i = 0; i < batches.length; i++) {
      raw[i] = batches[i].toByteArray();
    }
    return streamAs("bank-c", "bank-a", raw);
  }

  private static Batch batch(String studyId, String step, long seq, long... values) {
    return Framing.split(studyId, step, Batch.Kind.SHARES, values, () -> seq).get(0);
  }

  private static Batch batch(long seq, String step) {
    return batch(STUDY, step, seq, 1, 2, 3);
  }

  // ---- what the honest side must show ----

  private static void assertRefused(Status s, Status.Code code, String... phrases) {
    assertEquals(code, s.getCode(), String.valueOf(s));
    assertNotNull(s.getDescription(), String.valueOf(s));
    for (String phrase : phrases) {
      assertTrue(s.getDescription().contains(phrase), s.getDescription());
    }
  }

  /**
   * bank-a's study has stopped: its next receive from bank-c fails promptly with a reason naming
   * bank-c and the problem, and bank-a sends nothing more.
   */
  private String assertBankAAborts(String... phrases) {
    long t0 = System.nanoTime();
    StudyAbortedException e =
        assertThrows(StudyAbortedException.class, () -> study.get("bank-a").take("bank-c", "s/1"));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertTrue(took.compareTo(PROMPT) < 0, "the study stopped only after " + took);
    assertTrue(e.getMessage().contains("bank-c"), e.getMessage());
    for (String phrase : phrases) {
      assertTrue(e.getMessage().contains(phrase), e.getMessage());
    }
    assertThrows(
        StudyAbortedException.class,
        () -> honestA.send("bank-b", "s/2", Batch.Kind.SHARES, new long[] {1}));
    // The other honest party is untouched by bank-a's refusal.
    assertNull(study.get("bank-b").stopReason());
    return e.getMessage();
  }

  /**
   * Waits, at most {@link #PROMPT}, for bank-a's study to stop. Needed where gRPC cuts a stream
   * off: the sender may learn of it before bank-a's service does, and bank-c's valid first batch is
   * still queued at bank-a.
   */
  private void awaitStopAtBankA() throws InterruptedException {
    long deadline = System.nanoTime() + PROMPT.toNanos();
    while (study.get("bank-a").stopReason() == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertNotNull(study.get("bank-a").stopReason(), "bank-a's study still runs after " + PROMPT);
  }

  /** The study keeps running at bank-a: a stranger cannot stop it. */
  private void assertBankAUnaffected() {
    assertNull(study.get("bank-a").stopReason());
    honestB.send("bank-a", "s/2", Batch.Kind.SHARES, new long[] {5});
    assertEquals(5, study.get("bank-a").take("bank-b", "s/2")[0]);
  }

  // ---- the cases ----

  @Test
  void replayedBatch_isRefused() throws Exception {
    Batch b = batch(1, "s/1");
    Status s = fromC(b, b);
    assertRefused(
        s,
        Status.Code.FAILED_PRECONDITION,
        "replayed batch from bank-c in study st-hostile: seq 1",
        "already accepted up to 1");
    assertBankAAborts("replayed batch", "seq 1");
  }

  @Test
  void batchSkippingAhead_isRefused() throws Exception {
    Status s = fromC(batch(1, "s/1"), batch(3, "s/2"));
    assertRefused(
        s,
        Status.Code.FAILED_PRECONDITION,
        "out-of-order batch from bank-c in study st-hostile: seq 3",
        "expected 2");
    assertBankAAborts("out-of-order batch", "expected 2");
  }

  @Test
  void batchGoingBack_isRefused() throws Exception {
    Status s = fromC(batch(1, "s/1"), batch(2, "s/2"), batch(1, "s/3"));
    assertRefused(
        s,
        Status.Code.FAILED_PRECONDITION,
        "replayed batch from bank-c",
        "already accepted up to 2");
    assertBankAAborts("replayed batch", "seq 1");
  }

  @Test
  void firstBatchNotStartingAtOne_isRefused() throws Exception {
    Status s = fromC(batch(5, "s/1"));
    assertRefused(
        s, Status.Code.FAILED_PRECONDITION, "out-of-order batch from bank-c", "expected 1");
    assertBankAAborts("out-of-order batch");
  }

  @Test
  void batchDeclaringMoreElementsThanFramingAllows_isRefused() throws Exception {
    int count = Framing.MAX_BATCH_ELEMENTS + 1; // 1 MiB + 8 bytes: under the gRPC limit
    Batch big = batch(STUDY, "s/1", 1, new long[count]);
    big = big.toBuilder().setCount(count).setTotal(count).build();
    Status s = fromC(big);
    assertRefused(
        s,
        Status.Code.RESOURCE_EXHAUSTED,
        "batch seq 1 from bank-c in study st-hostile is too large: " + count + " elements",
        Framing.MAX_BATCH_ELEMENTS + " per batch");
    assertBankAAborts("too large");
  }

  @Test
  void messageOverTheStudyLimit_isRefused() throws Exception {
    // One small batch announcing a message of 2^40 elements: refused before anything is buffered.
    Batch b = batch(1, "s/1").toBuilder().setTotal(1L << 40).build();
    Status s = fromC(b);
    assertRefused(
        s, Status.Code.RESOURCE_EXHAUSTED, "of a message of " + (1L << 40), "per message");
    assertBankAAborts("too large");
  }

  @Test
  void grpcMessageOverTheInboundLimit_isCutOff() throws Exception {
    int count = (MAX_INBOUND_MESSAGE / Long.BYTES) + 1024;
    Batch huge =
        Batch.newBuilder()
            .setHeader(batch(2, "s/2").getHeader())
            .setKind(Batch.Kind.SHARES)
            .setCount(count)
            .setTotal(count)
            .setPayload(ByteString.copyFrom(new byte[count * Long.BYTES]))
            .build();
    Status s = fromC(batch(1, "s/1"), huge);
    assertRefused(s, Status.Code.RESOURCE_EXHAUSTED, "exceeds maximum size " + MAX_INBOUND_MESSAGE);
    awaitStopAtBankA();
    assertBankAAborts("exchange stream from bank-c in study st-hostile broke off after seq 1");
  }

  @Test
  void batchOfAnotherStudyInsideTheStream_isRefused() throws Exception {
    Status s = fromC(batch(1, "s/1"), batch("st-other", "s/2", 2, 1));
    assertRefused(
        s,
        Status.Code.FAILED_PRECONDITION,
        "batch from bank-c names study st-other on a channel of study st-hostile");
    assertBankAAborts("names study st-other");
  }

  @Test
  void streamForAStudyTheNodeIsNotRunning_isRefusedWithoutStoppingTheStudy() throws Exception {
    Status s = fromC(batch("st-other", "s/1", 1, 1));
    assertRefused(
        s,
        Status.Code.FAILED_PRECONDITION,
        "batch from bank-c for study \"st-other\", which bank-a is not running");
    assertBankAUnaffected();
  }

  @Test
  void batchOfAnUnexpectedStep_stopsTheStudyAtTheNextReceive() throws Exception {
    // The inbox cannot know the step order; the receive that expects s/1 finds s/9 and stops.
    assertEquals(Status.Code.OK, fromC(batch(1, "s/9")).getCode());
    String reason =
        assertBankAAborts(
            "parties out of step", "expected step s/1 from bank-c but received step s/9");
    // From then on the hostile sender's streams are refused with that reason.
    Status s = fromC(batch(2, "s/10"));
    assertRefused(s, Status.Code.ABORTED, "study st-hostile has stopped: " + reason);
  }

  @Test
  void batchRepeatingAFinishedStep_isRefused() throws Exception {
    Status s = fromC(batch(1, "s/1"), batch(2, "s/1"));
    assertRefused(
        s,
        Status.Code.FAILED_PRECONDITION,
        "batch from bank-c in study st-hostile repeats step s/1, which was already received");
    assertBankAAborts("repeats step s/1");
  }

  @Test
  void malformedStepName_isRefused() throws Exception {
    Status s = fromC(batch(1, "S/../\u0000"));
    assertRefused(s, Status.Code.FAILED_PRECONDITION, "has a malformed step name");
    assertBankAAborts("malformed step name");
  }

  @Test
  void payloadThatIsNotWholeElements_isRefused() throws Exception {
    Batch b = batch(1, "s/1").toBuilder().setPayload(ByteString.copyFrom(new byte[23])).build();
    Status s = fromC(b);
    assertRefused(
        s,
        Status.Code.INVALID_ARGUMENT,
        "batch seq 1 from bank-c in study st-hostile has 23 payload bytes for 3 elements");
    assertBankAAborts("23 payload bytes for 3 elements");
  }

  @Test
  void batchWithoutKind_isRefused() throws Exception {
    Batch b = batch(1, "s/1").toBuilder().setKind(Batch.Kind.KIND_UNSPECIFIED).build();
    assertRefused(fromC(b), Status.Code.INVALID_ARGUMENT, "has no kind");
    assertBankAAborts("has no kind");
  }

  @Test
  void batchWithInconsistentOffset_isRefused() throws Exception {
    Batch b = batch(1, "s/1").toBuilder().setOffset(2).build();
    assertRefused(fromC(b), Status.Code.INVALID_ARGUMENT, "covers elements 2..5 of 3");
    assertBankAAborts("covers elements 2..5 of 3");
  }

  @Test
  void bytesThatAreNoBatch_areRefused() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x42};
    Status s = streamAs("bank-c", "bank-a", batch(1, "s/1").toByteArray(), garbage);
    assertRefused(
        s,
        Status.Code.INVALID_ARGUMENT,
        "message 2 from bank-c in study st-hostile is not a well-formed Batch");
    assertBankAAborts("is not a well-formed Batch");
  }

  @Test
  void firstMessageThatIsNoBatch_isRefusedWithoutStoppingTheStudy() throws Exception {
    Status s = streamAs("bank-c", "bank-a", new byte[] {(byte) 0xff, 0x01});
    assertRefused(
        s, Status.Code.INVALID_ARGUMENT, "message 1 from bank-c is not a well-formed Batch");
    // It names no study, so there is none to stop.
    assertBankAUnaffected();
  }

  @Test
  void operatorCertificate_isRefusedAndCannotStopTheStudy() throws Exception {
    Status s = streamAs(ConsortiumPki.OPERATOR, "bank-a", batch(1, "s/1").toByteArray());
    assertRefused(s, Status.Code.PERMISSION_DENIED, "operator", "is not a bank node");
    assertBankAUnaffected();
  }

  @Test
  void coordinatorCertificate_isRefusedAtTheHandshake() throws Exception {
    Status s = streamAs(ConsortiumPki.COORDINATOR, "bank-a", batch(1, "s/1").toByteArray());
    assertEquals(Status.Code.UNAVAILABLE, s.getCode(), String.valueOf(s));
    assertBankAUnaffected();
  }

  @Test
  void nodeOfAnotherConsortiumMember_notInTheStudy_cannotStopIt() throws Exception {
    ConsortiumPki.issue(pki, "bank-d", Role.NODE, List.of());
    Status s = streamAs("bank-d", "bank-a", batch(1, "s/1").toByteArray());
    assertRefused(
        s,
        Status.Code.PERMISSION_DENIED,
        "bank-d is not a participant of study st-hostile; batch refused");
    assertBankAUnaffected();
  }
}
