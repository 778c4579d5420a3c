package io.cleanroom.testbed.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.coordinator.Coordinator;
import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.node.Node;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.testing.ExternalTools;
import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesResponse;
import io.cleanroom.protocol.wire.v1.OperatorGrpc;
import io.cleanroom.protocol.wire.v1.PhaseStatus;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.cleanroom.protocol.wire.v1.StudyStatusReply;
import io.cleanroom.protocol.wire.v1.StudySummary;
import io.cleanroom.testbed.generate.SimpleGenerator;
import io.cleanroom.testbed.local.LocalTestbed;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire format is usable outside Java: after a real study (a coordinator and three bank nodes in
 * this JVM, over mutual TLS on loopback, aggregate-counts on a small generated dataset), a Python
 * client generated at test time from the project's .proto files with Debian's python3-grpc-tools
 * checks every party's health and reads the study's status from the coordinator and from each node;
 * the same client without a certificate of its own is refused. Java clients check the status
 * services' answers and refusals in detail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String PYTHON_PACKAGES = "python3-grpcio python3-grpc-tools";

  /** The project's .proto files, as they are on the class path (protocol's jar). */
  private static final List<String> PROTOS =
      List.of(
          "cleanroom/v1/common.proto",
          "cleanroom/v1/coordination.proto",
          "cleanroom/v1/linkage.proto",
          "cleanroom/v1/peer.proto",
          "cleanroom/v1/status.proto");

  /**
   * The standard health service's definition, which grpc-services ships; Debian's python3-grpcio
   * has no grpc_health module.
   */
  private static final String HEALTH_PROTO = "grpc/health/v1/health.proto";

  /**
   * Where the client generates it from: under grpc_health/ as the grpcio-health-checking package
   * does, since Python modules under grpc/ would be hidden by the installed grpc package. The proto
   * package (grpc.health.v1) and so the wire names stay the same.
   */
  private static final String HEALTH_PROTO_FOR_PYTHON = "grpc_health/v1/health.proto";

  @TempDir static Path temp;
  private Path pki;
  private List<String> banks;
  private final Map<String, Integer> nodePorts = new java.util.LinkedHashMap<>();
  private Coordinator coordinator;
  private final List<Node> nodes = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private StudySummary summary;
  private Path generated;

  @BeforeAll
  void runStudy() throws Exception {
    pki = temp.resolve("pki");
    Path data = temp.resolve("data");
    SimpleGenerator.generate(data, 3, 900, 11);
    banks = LocalTestbed.banks(data);
    ConsortiumPki.init(pki, banks, List.of());
    coordinator =
        new Coordinator(
                new CoordinatorConfig.Resolved(
                    ConsortiumPki.COORDINATOR,
                    Endpoint.parse("127.0.0.1:0"),
                    pki.resolve(ConsortiumPki.COORDINATOR),
                    30,
                    temp.resolve("records"),
                    temp.resolve("log-key.pem"),
                    null),
                TlsMaterial.loadDir(pki.resolve(ConsortiumPki.COORDINATOR)))
            .start();
    for (String bank : banks) {
      nodePorts.put(bank, freePort());
    }
    for (String bank : banks) {
      List<String> peers = banks.stream().filter(b -> !b.equals(bank)).toList();
      NodeConfig.Resolved config =
          new NodeConfig.Resolved(
              bank,
              Endpoint.parse("127.0.0.1:" + nodePorts.get(bank)),
              pki.resolve(bank),
              ConsortiumPki.COORDINATOR,
              Endpoint.parse("127.0.0.1:" + coordinator.port()),
              peers,
              peers.stream().map(p -> Endpoint.parse("127.0.0.1:" + nodePorts.get(p))).toList(),
              data.resolve(bank),
              temp.resolve("work").resolve(bank),
              60,
              null);
      nodes.add(
          new Node(
                  config,
                  BankData.load(data.resolve(bank), bank),
                  TlsMaterial.loadDir(pki.resolve(bank)))
              .start());
    }
    StudyPlan plan =
        StudyPlan.newBuilder()
            .addAllParticipants(banks)
            .setTask(Tasks.AGGREGATE_COUNTS)
            .setTimeoutSeconds(120)
            .build();
    Iterator<StudyProgress> progress =
        OperatorGrpc.newBlockingStub(coordinatorAs(ConsortiumPki.OPERATOR))
            .withDeadlineAfter(180, TimeUnit.SECONDS)
            .runStudy(plan);
    while (progress.hasNext()) {
      StudyProgress p = progress.next();
      if (p.hasSummary()) {
        summary = p.getSummary();
      }
    }
    assertNotNull(summary, "the study ended without a summary");
    assertEquals("DESTROYED", summary.getState(), summary.getAbortReason());
    // The coordinator closes the study at the nodes right after the last receipt; wait for it.
    for (String bank : banks) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (nodeStatus(bank, ConsortiumPki.OPERATOR).getState()
          != StudyStatusReply.State.DESTROYED) {
        assertTrue(System.nanoTime() < deadline, bank + " never saw the study close");
        Thread.sleep(50);
      }
    }
  }

  @AfterAll
  void stopAll() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    for (Node node : nodes) {
      node.stop();
    }
    if (coordinator != null) {
      coordinator.stop();
    }
  }

  // ---- Java clients ------------------------------------------------------------------------

  @Test
  void coordinatorStatus_showsTheEndedStudyWithItsLog() throws Exception {
    StudyStatusGrpc.StudyStatusBlockingStub status =
        StudyStatusGrpc.newBlockingStub(coordinatorAs(ConsortiumPki.OPERATOR))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
    ListStudiesResponse list = status.list(ListStudiesRequest.getDefaultInstance());
    assertEquals(ConsortiumPki.COORDINATOR, list.getParty());
    assertEquals(1, list.getStudiesCount());
    StudyStatusReply s = status.get(request(summary.getStudyId()));
    assertEquals(list.getStudies(0), s);
    assertEquals(summary.getStudyId(), s.getStudyId());
    assertEquals(Tasks.AGGREGATE_COUNTS, s.getTask());
    assertEquals(banks, s.getParticipantsList());
    assertEquals(StudyStatusReply.State.DESTROYED, s.getState());
    assertEquals("", s.getAbortReason());
    assertTrue(s.getEndedAtMillis() >= s.getStartedAtMillis() && s.getStartedAtMillis() > 0);
    List<String> phases = s.getPhasesList().stream().map(PhaseStatus::getName).toList();
    assertTrue(phases.containsAll(Tasks.phases(Tasks.AGGREGATE_COUNTS)), phases.toString());
    for (PhaseStatus p : s.getPhasesList()) {
      if (Tasks.phases(Tasks.AGGREGATE_COUNTS).contains(p.getName())) {
        assertEquals(1.0, p.getProgress(), p.getName());
        assertTrue(p.getEndedAtMillis() >= p.getStartedAtMillis(), p.getName());
      }
    }
    assertTrue(s.hasLog());
    assertEquals(summary.getLogEntries(), s.getLog().getEntries());
    assertEquals(summary.getLogRoot(), s.getLog().getRoot());
    assertEquals(summary.getLogKeyFingerprint(), s.getLog().getKeyFingerprint());
    assertEquals(
        0,
        status
            .list(ListStudiesRequest.newBuilder().setRunningOnly(true).build())
            .getStudiesCount());
  }

  @Test
  void nodeStatus_showsTheStepsTheNodeRan() throws Exception {
    for (String bank : banks) {
      StudyStatusReply s = nodeStatus(bank, ConsortiumPki.OPERATOR);
      assertEquals(summary.getStudyId(), s.getStudyId());
      assertEquals(Tasks.AGGREGATE_COUNTS, s.getTask());
      assertEquals(banks, s.getParticipantsList());
      assertEquals(StudyStatusReply.State.DESTROYED, s.getState());
      assertEquals(
          List.of("load", "aggregate", "release", "destroy"),
          s.getPhasesList().stream().map(PhaseStatus::getName).toList(),
          bank);
      for (PhaseStatus p : s.getPhasesList()) {
        assertEquals(1.0, p.getProgress(), bank + " " + p.getName());
        assertTrue(p.getEndedAtMillis() >= p.getStartedAtMillis(), bank + " " + p.getName());
      }
      assertEquals("destroy", s.getPhase());
      assertFalse(s.hasLog());
    }
    // Another node of the study may look too (it learns nothing it did not take part in).
    assertEquals(
        StudyStatusReply.State.DESTROYED, nodeStatus(banks.get(0), banks.get(1)).getState());
  }

  @Test
  void unknownStudy_isNotFound_atEveryParty() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                StudyStatusGrpc.newBlockingStub(coordinatorAs(ConsortiumPki.OPERATOR))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .get(request("st-unknown")));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("st-unknown"));
    for (String bank : banks) {
      StatusRuntimeException n =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  StudyStatusGrpc.newBlockingStub(nodeAs(bank, ConsortiumPki.OPERATOR))
                      .withDeadlineAfter(10, TimeUnit.SECONDS)
                      .get(request("st-unknown")));
      assertEquals(Status.Code.NOT_FOUND, n.getStatus().getCode(), bank);
    }
  }

  @Test
  void coordinatorCertificate_isRefusedByNodes() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                StudyStatusGrpc.newBlockingStub(nodeAs(banks.get(0), ConsortiumPki.COORDINATOR))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .list(ListStudiesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void certificateOfAnotherConsortium_cannotConnect() throws Exception {
    Path other = temp.resolve("other-pki");
    ConsortiumPki.init(other, banks, List.of());
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + coordinator.port(),
                MutualTls.channelCredentials(
                    TlsMaterial.loadDir(other.resolve(ConsortiumPki.OPERATOR)),
                    new PartyIdentity(ConsortiumPki.COORDINATOR, Role.COORDINATOR)))
            .overrideAuthority(ConsortiumPki.COORDINATOR)
            .build();
    channels.add(ch);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                StudyStatusGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .list(ListStudiesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }

  @Test
  void health_isServing_atEveryParty() throws Exception {
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(coordinatorAs(ConsortiumPki.OPERATOR))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus());
    for (String bank : banks) {
      assertEquals(
          HealthCheckResponse.ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(nodeAs(bank, ConsortiumPki.OPERATOR))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus());
    }
  }

  // ---- the Python client -------------------------------------------------------------------

  @Test
  void pythonClient_readsHealthAndStatus_overMutualTls() throws Exception {
    JsonNode out = python(ConsortiumPki.OPERATOR, false);
    JsonNode parties = out.get("parties");
    assertEquals(1 + banks.size(), parties.size(), out.toPrettyString());
    for (String party : partyNames()) {
      JsonNode p = parties.get(party);
      assertNotNull(p, party + " missing in " + out.toPrettyString());
      assertEquals("SERVING", p.path("health").path("status").asText(), party + ": " + p);
      JsonNode studies = p.path("list").path("studies");
      assertEquals(1, studies.size(), party + ": " + p);
      assertEquals(party, p.path("list").path("party").asText());
      JsonNode get = p.path("get");
      assertEquals(studies.get(0), get, party);
      assertEquals(summary.getStudyId(), get.path("study_id").asText(), party);
      assertEquals("DESTROYED", get.path("state").asText(), party);
      assertEquals(Tasks.AGGREGATE_COUNTS, get.path("task").asText(), party);
      List<String> participants = new ArrayList<>();
      get.path("participants").forEach(n -> participants.add(n.asText()));
      assertEquals(banks, participants, party);
      List<String> phases = new ArrayList<>();
      get.path("phases").forEach(n -> phases.add(n.path("name").asText()));
      assertTrue(phases.containsAll(List.of("load", "aggregate")), party + ": " + phases);
      get.path("phases")
          .forEach(
              n -> {
                if (Tasks.phases(Tasks.AGGREGATE_COUNTS).contains(n.path("name").asText())) {
                  assertEquals(1.0, n.path("progress").asDouble(), party + ": " + n);
                }
              });
      assertEquals("NOT_FOUND", p.path("unknown").path("error").asText(), party + ": " + p);
    }
    // The coordinator's answer carries the protocol log; protobuf's JSON mapping gives bytes as
    // base64 and 64-bit integers as strings.
    JsonNode log = parties.get(ConsortiumPki.COORDINATOR).path("get").path("log");
    assertEquals(summary.getLogEntries(), Long.parseLong(log.path("entries").asText()));
    assertEquals(
        HexFormat.of().formatHex(summary.getLogRoot().toByteArray()),
        HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(log.path("root").asText())));
    assertEquals(summary.getLogKeyFingerprint(), log.path("key_fingerprint").asText());
  }

  @Test
  void pythonClient_withANodeCertificate_seesItsStudy() throws Exception {
    JsonNode out = python(banks.get(0), false);
    JsonNode coordinatorView = out.get("parties").get(ConsortiumPki.COORDINATOR);
    assertEquals("SERVING", coordinatorView.path("health").path("status").asText());
    assertEquals("DESTROYED", coordinatorView.path("get").path("state").asText());
  }

  @Test
  void pythonClient_withoutCertificate_isRefused() throws Exception {
    JsonNode out = python(ConsortiumPki.OPERATOR, true);
    for (String party : partyNames()) {
      JsonNode health = out.get("parties").get(party).get("health");
      assertEquals("UNAVAILABLE", health.path("error").asText(), party + ": " + health);
      assertFalse(health.has("status"), party);
    }
  }

  /** Runs the Python client as {@code party}'s certificate against every party. */
  private JsonNode python(String party, boolean noCert) throws Exception {
    Path gen = generatePythonClient();
    Path script = temp.resolve("status_client.py");
    if (!Files.exists(script)) {
      copyResource("interop/status_client.py", script);
    }
    Path cert = pki.resolve(party);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            PYTHON.toString(),
            script.toString(),
            "--gen",
            gen.toString(),
            "--ca",
            cert.resolve(ConsortiumPki.CA_CERT_FILE).toString(),
            "--study",
            summary.getStudyId()));
    if (noCert) {
      command.add("--no-cert");
    } else {
      command.addAll(
          List.of(
              "--cert",
              cert.resolve(ConsortiumPki.CERT_FILE).toString(),
              "--key",
              cert.resolve(ConsortiumPki.KEY_FILE).toString()));
    }
    command.addAll(
        List.of("--party", ConsortiumPki.COORDINATOR + "=127.0.0.1:" + coordinator.port()));
    for (String bank : banks) {
      command.addAll(List.of("--party", bank + "=127.0.0.1:" + nodePorts.get(bank)));
    }
    Run run = run(command, 60);
    assertEquals(0, run.exit, "python client failed:\n" + run.output + run.errors);
    return new ObjectMapper().readTree(run.output);
  }

  /** Generates the Python client code once, from the .proto files on the class path. */
  private synchronized Path generatePythonClient() throws Exception {
    requirePythonGrpc();
    if (generated != null) {
      return generated;
    }
    Path protos = temp.resolve("protos");
    for (String proto : PROTOS) {
      copyResource(proto, protos.resolve(proto));
    }
    copyResource(HEALTH_PROTO, protos.resolve(HEALTH_PROTO_FOR_PYTHON));
    Path gen = Files.createDirectories(temp.resolve("python"));
    List<String> command =
        new ArrayList<>(
            List.of(
                PYTHON.toString(),
                "-m",
                "grpc_tools.protoc",
                "-I" + protos,
                "--python_out=" + gen,
                "--grpc_python_out=" + gen));
    command.addAll(PROTOS);
    command.add(HEALTH_PROTO_FOR_PYTHON);
    Run run = run(command, 60);
    assertEquals(0, run.exit, "protoc failed:\n" + run.output + run.errors);
    assertTrue(Files.exists(gen.resolve("cleanroom/v1/status_pb2_grpc.py")));
    generated = gen;
    return gen;
  }

  /**
   * Skips (or, where CI requires the tools, fails) unless /usr/bin/python3 exists and imports grpc
   * and grpc_tools. {@code python3} on the PATH may be another Python without them.
   */
  private static void requirePythonGrpc() throws Exception {
    ExternalTools.require(PYTHON, PYTHON_PACKAGES);
    Run run = run(List.of(PYTHON.toString(), "-c", "import grpc_tools, grpc"), 30);
    if (run.exit != 0) {
      String message =
          PYTHON
              + " cannot import grpc and grpc_tools (Debian: apt-get install "
              + PYTHON_PACKAGES
              + "): "
              + run.errors.strip();
      if ("1".equals(System.getenv(ExternalTools.REQUIRE))) {
        throw new AssertionError(message + "; " + ExternalTools.REQUIRE + "=1 requires it");
      }
      Assumptions.abort(message);
    }
  }

  private record Run(int exit, String output, String errors) {}

  private static Run run(List<String> command, int timeoutSeconds) throws Exception {
    Path dir = Files.createTempDirectory("interop-run");
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    // The system Python must not pick up another installation's modules.
    pb.environment().remove("PYTHONPATH");
    pb.environment().remove("PYTHONHOME");
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    Run run =
        new Run(
            p.exitValue(),
            Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
    LocalTestbed.deleteTree(dir);
    return run;
  }

  private static void copyResource(String name, Path to) throws IOException {
    try (InputStream in = InteropTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name + " is not on the class path");
      Files.createDirectories(to.getParent());
      Files.copy(in, to);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private List<String> partyNames() {
    List<String> names = new ArrayList<>();
    names.add(ConsortiumPki.COORDINATOR);
    names.addAll(banks);
    return names;
  }

  private static GetStudyRequest request(String id) {
    return GetStudyRequest.newBuilder().setStudyId(id).build();
  }

  private StudyStatusReply nodeStatus(String bank, String as) throws Exception {
    return StudyStatusGrpc.newBlockingStub(nodeAs(bank, as))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .get(request(summary.getStudyId()));
  }

  private ManagedChannel coordinatorAs(String party) throws Exception {
    return channel(
        party, new PartyIdentity(ConsortiumPki.COORDINATOR, Role.COORDINATOR), coordinator.port());
  }

  private ManagedChannel nodeAs(String bank, String party) throws Exception {
    return channel(party, new PartyIdentity(bank, Role.NODE), nodePorts.get(bank));
  }

  private ManagedChannel channel(String party, PartyIdentity server, int port) throws Exception {
    ManagedChannel ch =
        Grpc.newChannelBuilder(
                "127.0.0.1:" + port,
                MutualTls.channelCredentials(TlsMaterial.loadDir(pki.resolve(party)), server))
            .overrideAuthority(server.name())
            .build();
    channels.add(ch);
    return ch;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
