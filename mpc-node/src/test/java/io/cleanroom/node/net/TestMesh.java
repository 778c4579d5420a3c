package io.cleanroom.node.net;

import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.transport.Inbox;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real PeerExchange servers over mutual TLS on loopback, one per party, with a consortium PKI in a
 * test folder; for tests here and in the testbed.
 */
public final class TestMesh implements AutoCloseable {
  public final List<String> parties;
  public final Map<String, TlsMaterial> tls = new HashMap<>();
  public final Map<String, Inboxes> inboxes = new HashMap<>();
  public final Map<String, Integer> ports = new HashMap<>();
  public final Map<String, PeerChannels> channels = new HashMap<>();
  public final Path pki;
  private final List<Server> servers = new ArrayList<>();

  public TestMesh(Path pki, List<String> parties) throws Exception {
    this.parties = parties;
    this.pki = pki;
    ConsortiumPki.init(pki, parties, List.of());
    for (String p : parties) {
      TlsMaterial m = TlsMaterial.loadDir(pki.resolve(p));
      tls.put(p, m);
      Inboxes in = new Inboxes();
      inboxes.put(p, in);
      Server s =
          Grpc.newServerBuilderForPort(0, MutualTls.serverCredentials(m, EnumSet.of(Role.NODE)))
              .addService(
                  ServerInterceptors.intercept(
                      new PeerExchangeService(p, in), new PeerIdentityInterceptor()))
              .build()
              .start();
      servers.add(s);
      ports.put(p, ((InetSocketAddress) s.getListenSockets().get(0)).getPort());
    }
    for (String p : parties) {
      channels.put(p, new PeerChannels(tls.get(p), q -> new Endpoint("127.0.0.1", ports.get(q))));
    }
  }

  /** Registers a study at every party and returns each party's transport. */
  public List<GrpcTransport> study(String studyId) {
    List<GrpcTransport> out = new ArrayList<>();
    for (String p : parties) {
      Inbox inbox = new Inbox(studyId, p, parties, 1L << 28, Duration.ofSeconds(30));
      inboxes.get(p).register(inbox);
      out.add(
          new GrpcTransport(studyId, p, parties, inbox, channels.get(p), Duration.ofSeconds(60)));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    for (PeerChannels c : channels.values()) {
      c.close();
    }
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
