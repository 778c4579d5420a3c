package io.cleanroom.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.coordinator.config.CoordinatorConfig.ConsoleSettings;
import io.cleanroom.coordinator.log.ProtocolLog;
import io.cleanroom.coordinator.session.NodeSessions;
import io.cleanroom.coordinator.study.SampleStudyLogs;
import io.cleanroom.coordinator.study.StudyBoard;
import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.PhaseSummary;
import io.cleanroom.protocol.wire.v1.ReportSummary;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import io.cleanroom.protocol.wire.v1.StudyProgress;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's handlers over real HTTP and HTTPS: a board with a running and an ended study, and
 * the ended study's records (a protocol log written as the coordinator writes it, and a report).
 */
class ConsoleServerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENDED = "st-00000000000000e1";
  private static final String RUNNING = "st-00000000000000f2";

  /** One sample line of the Prometheus text format 0.0.4: a comment, or name{labels} value. */
  private static final Pattern METRIC_LINE =
      Pattern.compile(
          "# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*"
              + "|[a-zA-Z_:][a-zA-Z0-9_:]*"
              + "(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\""
              + "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\")*\\})?"
              + " (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|[+-]Inf)( -?[0-9]+)?");

  @TempDir Path temp;
  private TlsMaterial coordinator;
  private TlsMaterial bankA;
  private TlsMaterial bankB;
  private LogSigningKey logKey;
  private Path records;
  private final StudyBoard board = new StudyBoard();
  private ConsoleData data;
  private ConsoleServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void setUp() throws Exception {
    Path pki = temp.resolve("pki");
    ConsortiumPki.init(pki, List.of("bank-a", "bank-b"), List.of());
    coordinator = TlsMaterial.loadDir(pki.resolve("coordinator"));
    bankA = TlsMaterial.loadDir(pki.resolve("bank-a"));
    bankB = TlsMaterial.loadDir(pki.resolve("bank-b"));
    logKey = LogSigningKey.generate(new SecureRandom());
    records = temp.resolve("records");

    StudyPlan ended = plan(ENDED);
    SampleStudyLogs.destroyed(
        records.resolve(ENDED).resolve("log"), ended, List.of(bankA, bankB), logKey);
    Path report = Files.createDirectories(records.resolve(ENDED).resolve("report"));
    Files.writeString(
        report.resolve("report.html"),
        "<!doctype html><title>Governance report</title><h1>Governance report</h1>");
    Files.writeString(report.resolve("report.json"), "{\"articles\":[]}");

    Consumer<StudyProgress> e = board.track(ended, p -> {});
    e.accept(progress(ENDED, "OPEN", "join", 1));
    e.accept(progress(ENDED, "LINKED", "link", 0.5));
    e.accept(progress(ENDED, "LINKED", "link", 1));
    e.accept(
        StudyProgress.newBuilder()
            .setStudyId(ENDED)
            .setSummary(
                StudySummary.newBuilder()
                    .setStudyId(ENDED)
                    .setState("DESTROYED")
                    .addPhases(
                        PhaseSummary.newBuilder()
                            .setName("link")
                            .setWallSeconds(2.5)
                            .putBytesSent("bank-a", 1000)
                            .putBytesSent("coordinator", 24)
                            .putCounts("handles", 1800)
                            .putPeakHeapBytes("bank-a", 1 << 20))
                    .setReport(
                        ReportSummary.newBuilder()
                            .setName("report/report.json")
                            .setVerdict("WARN")
                            .putArticles(6, "WARN")))
            .build());
    Consumer<StudyProgress> r = board.track(plan(RUNNING), p -> {});
    r.accept(progress(RUNNING, "OPEN", "join", 1));
    r.accept(progress(RUNNING, "OPEN", "link", 0.25));

    data =
        new ConsoleData(
            "coordinator",
            board,
            new NodeSessions(),
            records,
            logKey.publicKey(),
            coordinator.certificate(),
            coordinator.ca());
    server = ConsoleServer.start(settings(false, false), coordinator, data);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private static ConsoleSettings settings(boolean tls, boolean clientCertificate) {
    return new ConsoleSettings(new Endpoint("127.0.0.1", 0), tls, clientCertificate);
  }

  private static StudyPlan plan(String id) {
    return StudyPlan.newBuilder()
        .setStudyId(id)
        .setTask(Tasks.AGGREGATE_COUNTS)
        .addParticipants("bank-a")
        .addParticipants("bank-b")
        .build();
  }

  private static StudyProgress progress(String id, String state, String phase, double fraction) {
    return StudyProgress.newBuilder()
        .setStudyId(id)
        .setState(state)
        .setPhase(phase)
        .setProgress(fraction)
        .setMessage(phase + " " + fraction)
        .build();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    assertEquals("application/json; charset=utf-8", r.headers().firstValue("content-type").get());
    assertEquals("no-store", r.headers().firstValue("cache-control").get());
    return JSON.readTree(r.body());
  }

  /** The status line of a request sent as raw bytes, so that no client normalises the path. */
  private String raw(String requestLine) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          (requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      return response.substring(0, response.indexOf("\r\n"));
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void page_andAssets_areServedWithSecurityHeaders() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").get());
    assertTrue(page.body().contains("<script src=\"/assets/console.js\""), page.body());
    String csp = page.headers().firstValue("content-security-policy").orElseThrow();
    assertTrue(csp.startsWith("default-src 'self'"), csp);
    assertEquals("nosniff", page.headers().firstValue("x-content-type-options").get());
    assertEquals(200, get("/assets/console.js").statusCode());
    assertEquals(
        "text/css; charset=utf-8",
        get("/assets/console.css").headers().firstValue("content-type").get());
    assertEquals(404, get("/assets/Coordinator.class").statusCode());
    assertEquals(404, get("/nothing-here").statusCode());
  }

  @Test
  void participants_nameTheCoordinatorsCertificate_andLogKey() throws Exception {
    JsonNode p = json("/api/participants");
    assertEquals("coordinator", p.at("/coordinator/name").asText());
    assertEquals(
        sha256(coordinator.certificate().getEncoded()),
        p.at("/coordinator/certificate_sha256").asText());
    assertEquals(sha256(coordinator.ca().getEncoded()), p.at("/coordinator/ca_sha256").asText());
    assertEquals(
        logKey.publicKey().fingerprint(), p.at("/coordinator/log_key_fingerprint").asText());
    assertEquals(0, p.get("nodes").size(), "no node is connected");
  }

  @Test
  void studies_showStateAndProgressPerPhase_newestFirst() throws Exception {
    JsonNode studies = json("/api/studies").get("studies");
    assertEquals(2, studies.size());
    JsonNode running = studies.get(0);
    assertEquals(RUNNING, running.get("id").asText());
    assertEquals("OPEN", running.get("state").asText());
    assertEquals("link", running.get("phase").asText());
    assertFalse(running.get("ended").asBoolean());
    assertEquals(0.25, running.at("/phases/1/progress").asDouble());
    assertEquals(1.0, running.at("/phases/0/progress").asDouble());

    JsonNode ended = json("/api/studies/" + ENDED);
    assertEquals("DESTROYED", ended.get("state").asText());
    assertTrue(ended.get("ended").asBoolean());
    assertTrue(ended.get("has_report").asBoolean());
    assertEquals(2.5, ended.at("/phases/1/wall_seconds").asDouble());
    assertEquals(1024, ended.at("/phases/1/bytes_sent").asLong());
    assertEquals(1000, ended.at("/summary/phases/0/bytes_sent/bank-a").asLong());
    assertEquals(1800, ended.at("/summary/phases/0/counts/handles").asLong());
    assertEquals("WARN", ended.at("/summary/report/articles/6").asText());

    assertEquals(404, get("/api/studies/st-unknown").statusCode());
  }

  @Test
  void log_showsSignedCheckpoints_andVerifiedDestructionReceipts() throws Exception {
    JsonNode log = json("/api/studies/" + ENDED + "/log");
    JsonNode checkpoints = log.get("checkpoints");
    assertTrue(checkpoints.size() >= 2, log.toString());
    for (JsonNode c : checkpoints) {
      assertTrue(c.get("signature_valid").asBoolean(), c.toString());
      assertEquals(logKey.publicKey().fingerprint(), c.get("key_fingerprint").asText());
      assertEquals(64, c.get("root").asText().length());
    }
    assertEquals(
        log.get("entries").asLong(),
        checkpoints.get(checkpoints.size() - 1).get("tree_size").asLong());
    JsonNode receipts = log.get("receipts");
    assertEquals(2, receipts.size());
    assertEquals("bank-a", receipts.at("/0/node").asText());
    assertEquals(4096, receipts.at("/0/bytes").asLong());
    assertEquals(3, receipts.at("/0/files").asLong());
    assertTrue(receipts.at("/0/verified").asBoolean(), receipts.toString());
    assertTrue(receipts.at("/1/verified").asBoolean(), receipts.toString());
    assertEquals(
        sha256(bankB.certificate().getEncoded()), receipts.at("/1/certificate_sha256").asText());

    // A study on the board whose log is not written yet has an empty log, not an error.
    assertEquals(0, json("/api/studies/" + RUNNING + "/log").get("entries").asLong());
  }

  @Test
  void verify_passesAnIntactLog_andNamesTheDamageInATamperedOne() throws Exception {
    JsonNode ok = json("/api/studies/" + ENDED + "/verify");
    assertTrue(ok.get("ok").asBoolean(), ok.toString());
    assertEquals("OK", ok.get("verdict").asText());
    assertEquals("DESTROYED", ok.get("state").asText());
    assertEquals(List.of("bank-a", "bank-b"), JSON.convertValue(ok.get("receipts"), List.class));
    assertTrue(ok.get("summary").asText().contains("<records>/" + ENDED), ok.toString());
    assertFalse(ok.get("summary").asText().contains(temp.toString()), ok.toString());

    Path entries = records.resolve(ENDED).resolve("log").resolve(ProtocolLog.ENTRIES_FILE);
    byte[] bytes = Files.readAllBytes(entries);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(entries, bytes);
    JsonNode bad = json("/api/studies/" + ENDED + "/verify");
    assertFalse(bad.get("ok").asBoolean(), bad.toString());
    assertEquals("FAILED", bad.get("verdict").asText());
    assertTrue(bad.at("/problems/0").asText().contains("entry"), bad.toString());
  }

  @Test
  void report_isServedFromTheRecords_withoutScripts() throws Exception {
    HttpResponse<String> html = get("/studies/" + ENDED + "/report.html");
    assertEquals(200, html.statusCode());
    assertTrue(html.body().contains("<h1>Governance report</h1>"));
    String csp = html.headers().firstValue("content-security-policy").orElseThrow();
    assertTrue(csp.startsWith("default-src 'none'"), csp);
    assertFalse(csp.contains("script-src"), csp);
    assertEquals(200, get("/studies/" + ENDED + "/report.json").statusCode());
    assertEquals(404, get("/studies/" + RUNNING + "/report.html").statusCode());
  }

  @Test
  void onlyGetAndHead_areAllowed() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(server.uri().resolve("/api/studies"))
                  .method(method, HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, r.statusCode(), method);
      assertEquals("GET, HEAD", r.headers().firstValue("allow").get());
    }
    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/studies"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }

  @Test
  void pathTraversal_isRefused() throws Exception {
    Files.writeString(temp.resolve("secret.txt"), "secret");
    for (String path :
        List.of(
            "/studies/../secret.txt",
            "/studies/..%2Fsecret.txt/report.html",
            "/studies/%2e%2e/report.html",
            "/api/studies/../../secret.txt/log",
            "/assets/../console/ConsoleServer.class",
            "/assets/%2e%2e/ConsoleServer.class",
            "/studies/" + ENDED + "/../../secret.txt",
            "/studies/.hidden/report.html",
            "/api/studies/a..b/verify")) {
      String status = raw("GET " + path + " HTTP/1.1");
      assertTrue(status.matches("HTTP/1\\.1 40[04] .*"), path + ": " + status);
    }
    assertFalse(ConsoleData.validStudyId(".."));
    assertFalse(ConsoleData.validStudyId("a/b"));
    assertFalse(ConsoleData.validStudyId("a\\b"));
    assertTrue(ConsoleData.validStudyId(ENDED));
  }

  @Test
  void metrics_areValidPrometheusText_withStudyPhaseAndNodeSeries() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("content-type").get().startsWith("text/plain; version=0.0.4"));
    String text = r.body();
    for (String line : text.split("\n")) {
      assertTrue(METRIC_LINE.matcher(line).matches(), "not Prometheus text: " + line);
    }
    List<String> lines = List.of(text.split("\n"));
    assertTrue(lines.contains("cleanroom_studies{state=\"DESTROYED\"} 1.0"), text);
    assertTrue(lines.contains("cleanroom_studies{state=\"OPEN\"} 1.0"), text);
    assertTrue(lines.contains("cleanroom_connected_nodes 0.0"), text);
    assertTrue(
        lines.contains(
            "cleanroom_phase_bytes_sent{party=\"bank-a\",phase=\"link\",study=\""
                + ENDED
                + "\"} 1000.0"),
        text);
    assertTrue(
        lines.contains("cleanroom_phase_seconds{phase=\"link\",study=\"" + ENDED + "\"} 2.5"),
        text);
    assertTrue(
        lines.contains(
            "cleanroom_phase_count{name=\"handles\",phase=\"link\",study=\""
                + ENDED
                + "\"} 1800.0"),
        text);
    assertTrue(
        lines.contains("cleanroom_phase_progress{phase=\"link\",study=\"" + RUNNING + "\"} 0.25"),
        text);
    assertTrue(text.contains("# TYPE jvm_memory_used_bytes gauge"), text);
    // The scrape above is counted once it is answered.
    String again = get("/metrics").body();
    assertTrue(again.contains("cleanroom_console_requests_total{code=\"200\"} 1.0"), again);
  }

  @Test
  void https_isServedWithTheCoordinatorsCertificate_trustedThroughTheConsortiumCa()
      throws Exception {
    try (ConsoleServer https = ConsoleServer.start(settings(true, false), coordinator, data)) {
      assertEquals("https", https.uri().getScheme());
      HttpClient trusting = HttpClient.newBuilder().sslContext(context(bankA, false)).build();
      HttpResponse<String> r =
          trusting.send(
              HttpRequest.newBuilder(https.uri().resolve("/api/participants")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("strict-transport-security").isPresent());

      // A client trusting another consortium's CA refuses the coordinator's certificate.
      Path other = temp.resolve("other-pki");
      ConsortiumPki.init(other, List.of("bank-a", "bank-b"), List.of());
      HttpClient stranger =
          HttpClient.newBuilder()
              .sslContext(context(TlsMaterial.loadDir(other.resolve("bank-a")), false))
              .build();
      assertThrows(
          SSLHandshakeException.class,
          () ->
              stranger.send(
                  HttpRequest.newBuilder(https.uri().resolve("/")).build(),
                  HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void requiredClientCertificate_admitsConsortiumCertificatesOnly() throws Exception {
    try (ConsoleServer https = ConsoleServer.start(settings(true, true), coordinator, data)) {
      URI page = https.uri().resolve("/api/studies");
      HttpClient withCertificate = HttpClient.newBuilder().sslContext(context(bankA, true)).build();
      assertEquals(
          200,
          withCertificate
              .send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString())
              .statusCode());
      HttpClient without = HttpClient.newBuilder().sslContext(context(bankA, false)).build();
      assertThrows(
          java.io.IOException.class,
          () ->
              without.send(
                  HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString()));
    }
  }

  /** A client TLS context trusting {@code party}'s CA, presenting its certificate if asked. */
  private static SSLContext context(TlsMaterial party, boolean presentCertificate)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", party.ca());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext c = SSLContext.getInstance("TLS");
    if (presentCertificate) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "me", party.privateKey(), new char[0], new Certificate[] {party.certificate()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, new char[0]);
      c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    } else {
      c.init(null, tmf.getTrustManagers(), null);
    }
    return c;
  }
}
