package io.cleanroom.coordinator;

import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.coordinator.console.ConsoleData;
import io.cleanroom.coordinator.console.ConsoleServer;
import io.cleanroom.coordinator.dealer.DealerService;
import io.cleanroom.coordinator.linkage.LinkageService;
import io.cleanroom.coordinator.log.LogKeys;
import io.cleanroom.coordinator.session.NodeSessions;
import io.cleanroom.coordinator.study.OperatorService;
import io.cleanroom.coordinator.study.StatusService;
import io.cleanroom.coordinator.study.StudyBoard;
import io.cleanroom.coordinator.study.StudyDriver;
import io.cleanroom.protocol.log.LogSigningKey;
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
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The running coordinator: one mutual-TLS server for nodes' control sessions, operators and health
 * checks. Lifecycle as grpc-java's examples: {@link #start()}, {@link #stop()}, {@link
 * #blockUntilShutdown()}.
 */
public final class Coordinator implements ForegroundService.Running {

  private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

  private final CoordinatorConfig.Resolved config;
  private final TlsMaterial tls;
  private final NodeSessions sessions = new NodeSessions();
  private final DealerService dealer = new DealerService();
  private LinkageService linkage;
  private final HealthStatusManager health = new HealthStatusManager();
  private final StudyBoard board = new StudyBoard();
  private final ExecutorService studies =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "study");
            t.setDaemon(true);
            return t;
          });
  private Server server;
  private ConsoleServer console;

  public Coordinator(CoordinatorConfig.Resolved config, TlsMaterial tls) {
    tls.requireSelf(new PartyIdentity(config.name(), Role.COORDINATOR), config.tls());
    this.config = config;
    this.tls = tls;
  }

  public Coordinator start() throws IOException, GeneralSecurityException {
    linkage = new LinkageService(studies);
    LogSigningKey logKey = LogKeys.loadOrCreate(config.logKey());
    StudyDriver driver =
        new StudyDriver(
            sessions,
            dealer,
            linkage,
            Duration.ofSeconds(config.joinTimeoutSeconds()),
            config.records(),
            logKey,
            tls.ca(),
            tls.certificate());
    driver.closeInterrupted();
    PeerIdentityInterceptor identity = new PeerIdentityInterceptor();
    server =
        Grpc.newServerBuilderForPort(
                config.listen().port(),
                MutualTls.serverCredentials(tls, EnumSet.of(Role.NODE, Role.OPERATOR)))
            .addService(ServerInterceptors.intercept(sessions, identity))
            .addService(ServerInterceptors.intercept(dealer, identity))
            .addService(ServerInterceptors.intercept(linkage, identity))
            .addService(
                ServerInterceptors.intercept(new OperatorService(driver, studies, board), identity))
            .addService(
                ServerInterceptors.intercept(new StatusService(config.name(), board), identity))
            .addService(health.getHealthService())
            .intercept(Transcripts.open(config.transcripts()).server())
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            // edge-triple requests carry the graph's edge sources, 4 bytes per edge
            .maxInboundMessageSize(64 << 20)
            .build()
            .start();
    health.setStatus("", ServingStatus.SERVING);
    if (config.console() != null) {
      console =
          ConsoleServer.start(
              config.console(),
              tls,
              new ConsoleData(
                  config.name(),
                  board,
                  sessions,
                  config.records(),
                  logKey.publicKey(),
                  tls.certificate(),
                  tls.ca()));
    }
    LOG.log(
        System.Logger.Level.INFO,
        "coordinator listening on port "
            + port()
            + ", protocol log key "
            + logKey.publicKey().fingerprint());
    return this;
  }

  /** The live view of this coordinator's studies. */
  public StudyBoard board() {
    return board;
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** The port of the web console, or -1 when none is configured. */
  public int consolePort() {
    return console == null ? -1 : console.port();
  }

  @Override
  public void stop() throws InterruptedException {
    if (console != null) {
      console.close();
    }
    health.enterTerminalState();
    sessions.endAll();
    studies.shutdownNow();
    if (server != null) {
      server.shutdown();
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    }
  }

  @Override
  public void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
