package io.cleanroom.testbed.local;

import io.cleanroom.coordinator.dealer.DealerService;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.net.Inboxes;
import io.cleanroom.node.net.PeerChannels;
import io.cleanroom.node.net.PeerExchangeService;
import io.cleanroom.node.net.RemoteRandomness;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.transport.Inbox;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every party's protocol endpoints in one JVM, over real gRPC and mutual TLS on loopback: each
 * node's {@code PeerExchange} server and channels, and the coordinator's {@code Dealer} service. It
 * is what the engine's benchmarks and full-stack tests run on; whole studies use {@link
 * LocalTestbed} instead.
 */
public final class LoopbackMesh implements AutoCloseable {

  private final List<String> parties;
  private final Path pki;
  private final Map<String, Inboxes> inboxes = new LinkedHashMap<>();
  private final Map<String, PeerChannels> peers = new LinkedHashMap<>();
  private final Map<String, ManagedChannel> toDealer = new LinkedHashMap<>();
  private final List<Server> servers = new ArrayList<>();
  private final DealerService dealer = new DealerService();
  private int dealerPort;

  private LoopbackMesh(List<String> parties, Path pki) {
    this.parties = List.copyOf(parties);
    this.pki = pki;
  }

  /** Makes a consortium PKI in a temporary folder and starts every party's servers. */
  public static LoopbackMesh start(List<String> parties) throws Exception {
    LoopbackMesh m = new LoopbackMesh(parties, Files.createTempDirectory("cleanroom-mesh-"));
    try {
      m.startServers();
      return m;
    } catch (Exception e) {
      m.close();
      throw e;
    }
  }

  private void startServers() throws Exception {
    ConsortiumPki.init(pki, parties, List.of());
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String p : parties) {
      TlsMaterial tls = TlsMaterial.loadDir(pki.resolve(p));
      Inboxes in = new Inboxes();
      inboxes.put(p, in);
      Server s =
          start(
              tls,
              EnumSet.of(Role.NODE),
              ServerInterceptors.intercept(
                  new PeerExchangeService(p, in), new PeerIdentityInterceptor()));
      ports.put(p, port(s));
    }
    TlsMaterial coordinator = TlsMaterial.loadDir(pki.resolve(ConsortiumPki.COORDINATOR));
    dealerPort =
        port(
            start(
                coordinator,
                EnumSet.of(Role.NODE, Role.OPERATOR),
                ServerInterceptors.intercept(dealer, new PeerIdentityInterceptor())));
    for (String p : parties) {
      TlsMaterial tls = TlsMaterial.loadDir(pki.resolve(p));
      peers.put(p, new PeerChannels(tls, q -> new Endpoint("127.0.0.1", ports.get(q))));
      toDealer.put(p, dealerChannel(tls));
    }
  }

  private ManagedChannel dealerChannel(TlsMaterial tls) throws Exception {
    return Grpc.newChannelBuilder(
            "127.0.0.1:" + dealerPort,
            MutualTls.channelCredentials(
                tls, new PartyIdentity(ConsortiumPki.COORDINATOR, Role.COORDINATOR)))
        .overrideAuthority(ConsortiumPki.COORDINATOR)
        .build();
  }

  /**
   * A new channel to the dealer with the certificate in folder {@code party} of the mesh's PKI (any
   * party, e.g. one issued later with {@link ConsortiumPki#issue}); the caller closes it.
   */
  public ManagedChannel dealerChannelAs(String party) throws Exception {
    return dealerChannel(TlsMaterial.loadDir(pki.resolve(party)));
  }

  /** The mesh's PKI folder. */
  public Path pki() {
    return pki;
  }

  private Server start(TlsMaterial tls, EnumSet<Role> clients, io.grpc.ServerServiceDefinition s)
      throws Exception {
    Server server =
        Grpc.newServerBuilderForPort(0, MutualTls.serverCredentials(tls, clients))
            .addService(s)
            .maxInboundMessageSize(64 << 20)
            .build()
            .start();
    servers.add(server);
    return server;
  }

  private static int port(Server s) {
    return ((InetSocketAddress) s.getListenSockets().get(0)).getPort();
  }

  public List<String> parties() {
    return parties;
  }

  /** The coordinator's dealer. */
  public DealerService dealer() {
    return dealer;
  }

  /** Opens a study at every party and at the dealer. */
  public Study open(String studyId, Duration timeout) {
    dealer.open(studyId, parties);
    List<GrpcTransport> transports = new ArrayList<>();
    List<CorrelatedRandomness> randomness = new ArrayList<>();
    for (String p : parties) {
      Inbox inbox = new Inbox(studyId, p, parties, 1L << 28, timeout);
      inboxes.get(p).register(inbox);
      transports.add(new GrpcTransport(studyId, p, parties, inbox, peers.get(p), timeout));
      randomness.add(
          new RemoteRandomness(
              toDealer.get(p), studyId, timeout, parties.indexOf(p), parties.size()));
    }
    return new Study(studyId, transports, randomness);
  }

  /** One study's endpoints, in party order. */
  public final class Study implements AutoCloseable {
    private final String id;
    private final List<GrpcTransport> transports;
    private final List<CorrelatedRandomness> randomness;

    private Study(String id, List<GrpcTransport> transports, List<CorrelatedRandomness> r) {
      this.id = id;
      this.transports = transports;
      this.randomness = r;
    }

    public List<GrpcTransport> transports() {
      return transports;
    }

    public List<CorrelatedRandomness> randomness() {
      return randomness;
    }

    /** Bytes of shares the dealer has sent in this study. */
    public long dealerBytes() {
      return dealer.bytesSent(id);
    }

    @Override
    public void close() {
      transports.forEach(GrpcTransport::close);
      for (String p : parties) {
        inboxes.get(p).remove(id);
      }
      dealer.close(id);
    }
  }

  @Override
  public void close() throws InterruptedException {
    toDealer.values().forEach(ManagedChannel::shutdownNow);
    for (PeerChannels c : peers.values()) {
      c.close();
    }
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    LocalTestbed.deleteTree(pki);
  }
}
