package io.cleanroom.node;

import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.net.Inboxes;
import io.cleanroom.node.net.PeerChannels;
import io.cleanroom.node.net.PeerExchangeService;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.node.study.CoordinatorLink;
import io.cleanroom.node.study.NodeStatusService;
import io.cleanroom.node.study.StudyRegistry;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.service.ForegroundService;
import io.cleanroom.protocol.service.Transcripts;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * A running bank node: the mutual-TLS server for other nodes (and health and study-status checks by
 * the operator and the other nodes), the control session with the coordinator, and the work folder
 * holding the studies' session stores and outputs ({@link WorkFolder}). {@link #start()}, {@link
 * #stop()} and {@link #blockUntilShutdown()} follow grpc-java's server lifecycle.
 */
public final class Node implements ForegroundService.Running {

  private static final System.Logger LOG = System.getLogger(Node.class.getName());

  private final NodeConfig.Resolved config;
  private final BankData data;
  private final TlsMaterial tls;
  private final Inboxes inboxes = new Inboxes();
  private final HealthStatusManager health = new HealthStatusManager();
  private final StudyRegistry registry = new StudyRegistry();
  private PeerChannels peers;
  private WorkFolder work;
  private CoordinatorLink link;
  private Server server;
  private Transcripts transcripts;

  /**
   * @param data this bank's validated input, loaded before the node talks to anyone
   */
  public Node(NodeConfig.Resolved config, BankData data, TlsMaterial tls) {
    tls.requireSelf(new PartyIdentity(config.name(), Role.NODE), config.tls());
    this.config = config;
    this.data = data;
    this.tls = tls;
  }

  /**
   * Opens the work folder (removing what an earlier process left of unfinished studies), starts
   * serving and dials the coordinator.
   */
  public Node start() throws IOException, GeneralSecurityException {
    work = WorkFolder.open(config.work());
    try {
      transcripts = Transcripts.open(config.transcripts());
      server =
          Grpc.newServerBuilderForPort(
                  config.listen().port(),
                  MutualTls.serverCredentials(tls, EnumSet.of(Role.NODE, Role.OPERATOR)))
              .addService(
                  ServerInterceptors.intercept(
                      new PeerExchangeService(config.name(), inboxes),
                      new PeerIdentityInterceptor()))
              .addService(
                  ServerInterceptors.intercept(
                      new NodeStatusService(config.name(), registry),
                      new PeerIdentityInterceptor()))
              .addService(health.getHealthService())
              .intercept(transcripts.server())
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .maxInboundMessageSize(4 << 20)
              .build()
              .start();
      peers = new PeerChannels(tls, config::peer, transcripts.client());
      link =
          new CoordinatorLink(
              config, data, work, tls, inboxes, peers, registry, transcripts.client());
      link.start();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      try {
        work.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    health.setStatus("", ServingStatus.SERVING);
    LOG.log(
        System.Logger.Level.INFO,
        "node "
            + config.name()
            + " listening on port "
            + port()
            + ", coordinator at "
            + config.coordinator());
    return this;
  }

  /** The port the server listens on (useful when the configuration asked for port 0). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /**
   * Aborts running studies (destroying their session stores), ends the coordinator session and
   * stops serving, gracefully.
   */
  @Override
  public void stop() throws InterruptedException {
    health.enterTerminalState();
    if (link != null) {
      link.close();
    }
    if (server != null) {
      server.shutdown();
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    }
    if (peers != null) {
      peers.close();
    }
    if (work != null) {
      try {
        work.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "releasing the work folder " + config.work(), e);
      }
    }
  }

  @Override
  public void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
