package io.cleanroom.testbed.integration;

import io.cleanroom.coordinator.dealer.DealerService;
import io.cleanroom.node.net.RemoteRandomness;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The coordinator's dealer service on loopback over mutual TLS, and clients for the nodes. */
final class DealerHarness implements AutoCloseable {
  final DealerService dealer = new DealerService();
  private final Server server;
  private final Path pki;
  private final List<ManagedChannel> channels = new ArrayList<>();

  DealerHarness(Path pki) throws Exception {
    this.pki = pki;
    TlsMaterial tls = TlsMaterial.loadDir(pki.resolve("coordinator"));
    server =
        Grpc.newServerBuilderForPort(
                0, MutualTls.serverCredentials(tls, EnumSet.of(Role.NODE, Role.OPERATOR)))
            .addService(ServerInterceptors.intercept(dealer, new PeerIdentityInterceptor()))
            .build()
            .start();
  }

  /** A channel to the dealer with {@code party}'s certificate. */
  ManagedChannel channelAs(String party) throws Exception {
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + ((InetSocketAddress) server.getListenSockets().get(0)).getPort(),
                MutualTls.channelCredentials(
                    TlsMaterial.loadDir(pki.resolve(party)),
                    new PartyIdentity("coordinator", Role.COORDINATOR)))
            .overrideAuthority("coordinator")
            .build();
    channels.add(ch);
    return ch;
  }

  RemoteRandomness randomness(String party, String studyId) throws Exception {
    return new RemoteRandomness(channelAs(party), studyId, Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
