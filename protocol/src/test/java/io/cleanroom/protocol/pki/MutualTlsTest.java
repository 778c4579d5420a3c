package io.cleanroom.protocol.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS over real gRPC/Netty connections on the loopback interface. */
class MutualTlsTest {

  private static final MethodDescriptor<String, String> WHOAMI =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("cleanroom.test.Whoami/Get")
          .setRequestMarshaller(new Utf8())
          .setResponseMarshaller(new Utf8())
          .build();

  // Held strongly: java.util.logging forgets loggers nobody references, and their handlers.
  private static final Logger MUTUAL_TLS_LOG = Logger.getLogger(MutualTls.class.getName());
  private static final List<String> logged = Collections.synchronizedList(new ArrayList<>());
  private static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @TempDir static Path dir;
  private static Path pki;
  private static TlsMaterial bankA;
  private static TlsMaterial bankB;
  private static TlsMaterial bankC;
  private static TlsMaterial numeric;
  private static TlsMaterial coordinator;
  private static TlsMaterial operator;
  private static TlsMaterial strangerA;

  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void createPkis() throws Exception {
    pki = dir.resolve("pki");
    ConsortiumPki.init(pki, List.of("bank-a", "bank-b", "bank-c", "812"), List.of());
    bankA = TlsMaterial.loadDir(pki.resolve("bank-a"));
    bankB = TlsMaterial.loadDir(pki.resolve("bank-b"));
    bankC = TlsMaterial.loadDir(pki.resolve("bank-c"));
    numeric = TlsMaterial.loadDir(pki.resolve("812"));
    coordinator = TlsMaterial.loadDir(pki.resolve("coordinator"));
    operator = TlsMaterial.loadDir(pki.resolve("operator"));
    Path other = dir.resolve("other");
    ConsortiumPki.init(other, List.of("bank-a", "bank-b"), List.of());
    strangerA = TlsMaterial.loadDir(other.resolve("bank-a"));
    MUTUAL_TLS_LOG.addHandler(CAPTURE);
  }

  @AfterAll
  static void removeCapture() {
    MUTUAL_TLS_LOG.removeHandler(CAPTURE);
  }

  @BeforeEach
  void clearLog() {
    logged.clear();
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server server : servers) {
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void nodeCallsNode_acceptedAndHandlerSeesCaller() throws Exception {
    int port = serve(bankB, EnumSet.of(Role.NODE));

    String seen = call(port, MutualTls.channelCredentials(bankA, bankB.self()), "bank-b");

    assertEquals("bank-a/node", seen);
  }

  @Test
  void operatorCallsCoordinator_accepted() throws Exception {
    int port = serve(coordinator, EnumSet.of(Role.OPERATOR, Role.NODE));

    String seen =
        call(port, MutualTls.channelCredentials(operator, coordinator.self()), "coordinator");

    assertEquals("operator/operator", seen);
  }

  @Test
  void numericBankName_accepted() throws Exception {
    int port = serve(numeric, EnumSet.of(Role.NODE));

    String seen = call(port, MutualTls.channelCredentials(bankA, numeric.self()), "812");

    assertEquals("bank-a/node", seen);
  }

  @Test
  void clientFromUnknownCa_refused() throws Exception {
    int port = serve(bankB, EnumSet.of(Role.NODE));
    // The stranger trusts our CA, so only the server's check of the client can fail.
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder()
            .keyManager(
                dir.resolve("other/bank-a/tls.crt").toFile(),
                dir.resolve("other/bank-a/tls.key").toFile())
            .trustManager(pki.resolve("ca/ca.crt").toFile())
            .build();

    assertRefused(port, credentials, "bank-b");
    assertLogged("refused client certificate: CN=bank-a,OU=node,O=Cleanroom consortium does not");
  }

  @Test
  void clientWithoutCertificate_refused() throws Exception {
    int port = serve(bankB, EnumSet.of(Role.NODE));
    ChannelCredentials credentials =
        TlsChannelCredentials.newBuilder().trustManager(pki.resolve("ca/ca.crt").toFile()).build();

    assertRefused(port, credentials, "bank-b");
  }

  @Test
  void clientWithRoleNotAccepted_refused() throws Exception {
    int port = serve(bankB, EnumSet.of(Role.NODE));

    assertRefused(port, MutualTls.channelCredentials(operator, bankB.self()), "bank-b");
    assertLogged(
        "refused client certificate: CN=operator,OU=operator,O=Cleanroom consortium has role"
            + " operator, this service (bank-b) accepts node");
  }

  @Test
  void serverWithOtherName_refused() throws Exception {
    int port = serve(bankC, EnumSet.of(Role.NODE));

    assertRefused(port, MutualTls.channelCredentials(bankA, bankB.self()), "bank-b");
    assertLogged("refused server certificate: expected bank-b/node, server is bank-c/node");
  }

  @Test
  void serverWithOtherRole_refused() throws Exception {
    int port = serve(bankB, EnumSet.of(Role.OPERATOR));
    PartyIdentity expected = new PartyIdentity("bank-b", Role.COORDINATOR);

    assertRefused(port, MutualTls.channelCredentials(operator, expected), "bank-b");
    assertLogged("refused server certificate: expected bank-b/coordinator, server is bank-b/node");
  }

  @Test
  void serverWithNodeCertWhereCoordinatorExpected_refused() throws Exception {
    int port = serve(bankA, EnumSet.of(Role.OPERATOR));

    assertRefused(port, MutualTls.channelCredentials(operator, coordinator.self()), "coordinator");
    assertLogged(
        "refused server certificate: expected coordinator/coordinator, server is bank-a/node");
  }

  @Test
  void authorityNotMatchingCertificate_refusedByHostnameVerification() throws Exception {
    int port = serve(bankB, EnumSet.of(Role.NODE));

    assertRefused(port, MutualTls.channelCredentials(bankA, bankB.self()), "bank-c");
    assertLogged("refused server certificate: bank-b/node is not valid for host bank-c");
  }

  @Test
  void serverFromUnknownCa_refused() throws Exception {
    int port = serve(strangerA, EnumSet.of(Role.NODE));

    assertRefused(port, MutualTls.channelCredentials(bankB, bankA.self()), "bank-a");
    assertLogged("refused server certificate: CN=bank-a,OU=node,O=Cleanroom consortium does not");
  }

  @Test
  void serverTrustManager_throwsReasonForWrongRole() throws Exception {
    ServerCredentials credentials = MutualTls.serverCredentials(bankB, EnumSet.of(Role.NODE));
    X509ExtendedTrustManager trust =
        (X509ExtendedTrustManager) ((TlsServerCredentials) credentials).getTrustManagers().get(0);

    CertificateException e =
        assertThrows(
            CertificateException.class,
            () -> trust.checkClientTrusted(chain(coordinator), "ECDHE_ECDSA"));
    assertTrue(e.getMessage().contains("has role coordinator"), e.getMessage());
    trust.checkClientTrusted(chain(bankA), "ECDHE_ECDSA");
  }

  @Test
  void channelTrustManager_throwsReasonForWrongServer() throws Exception {
    ChannelCredentials credentials = MutualTls.channelCredentials(bankA, bankB.self());
    X509ExtendedTrustManager trust =
        (X509ExtendedTrustManager) ((TlsChannelCredentials) credentials).getTrustManagers().get(0);

    CertificateException e =
        assertThrows(
            CertificateException.class,
            () -> trust.checkServerTrusted(chain(bankC), "ECDHE_ECDSA"));
    assertTrue(e.getMessage().contains("expected bank-b/node, server is bank-c/node"));
    trust.checkServerTrusted(chain(bankB), "ECDHE_ECDSA");
  }

  @Test
  void serverCredentials_withoutAcceptedRoles_refused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> MutualTls.serverCredentials(bankA, EnumSet.noneOf(Role.class)));
  }

  @Test
  void plaintextCall_unauthenticatedByInterceptor() throws Exception {
    Server server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(whoami())
            .build()
            .start();
    servers.add(server);

    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> call(server.getPort(), InsecureChannelCredentials.create(), "bank-b"));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals("no tls session", e.getStatus().getDescription());
  }

  @Test
  void current_outsideCall_throws() {
    assertThrows(IllegalStateException.class, PeerIdentityInterceptor::current);
  }

  private static X509Certificate[] chain(TlsMaterial material) {
    return new X509Certificate[] {material.certificate()};
  }

  private int serve(TlsMaterial self, Set<Role> accepted) throws Exception {
    Server server =
        Grpc.newServerBuilderForPort(0, MutualTls.serverCredentials(self, accepted))
            .addService(whoami())
            .build()
            .start();
    servers.add(server);
    return server.getPort();
  }

  private static ServerServiceDefinition whoami() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("cleanroom.test.Whoami")
            .addMethod(
                WHOAMI,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      response.onNext(PeerIdentityInterceptor.current().toString());
                      response.onCompleted();
                    }))
            .build();
    return ServerInterceptors.intercept(service, new PeerIdentityInterceptor());
  }

  private String call(int port, ChannelCredentials credentials, String authority) {
    ManagedChannel channel =
        Grpc.newChannelBuilder("127.0.0.1:" + port, credentials)
            .overrideAuthority(authority)
            .build();
    channels.add(channel);
    return ClientCalls.blockingUnaryCall(
        channel, WHOAMI, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "who?");
  }

  private void assertRefused(int port, ChannelCredentials credentials, String authority) {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> call(port, credentials, authority));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
  }

  private static void assertLogged(String fragment) throws InterruptedException {
    // Server-side refusals are logged on a Netty thread, possibly just after the client fails.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      synchronized (logged) {
        if (logged.stream().anyMatch(line -> line.contains(fragment))) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no log line contains \"" + fragment + "\"; logged: " + logged);
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
