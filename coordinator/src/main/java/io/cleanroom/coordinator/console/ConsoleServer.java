package io.cleanroom.coordinator.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.cleanroom.coordinator.config.CoordinatorConfig.ConsoleSettings;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The coordinator's read-only web console and its Prometheus {@code /metrics}, on a port of its
 * own, served by the JDK's HTTP server.
 *
 * <p>What it serves: the console page and its script and style (from this jar, nothing fetched from
 * elsewhere), JSON under {@code /api/} (connected nodes and their certificate fingerprints, the
 * studies on the {@link io.cleanroom.coordinator.study.StudyBoard}, each study's protocol log
 * checkpoints and destruction receipts, and a server-side verification of the log), each study's
 * governance report from the coordinator's records, and the metrics. Nothing it serves is secret to
 * the consortium: it is what the operator who runs a study sees, plus the log and report the
 * coordinator keeps for auditors. It changes nothing: only GET and HEAD are accepted.
 *
 * <p>Who can reach it: over TLS with the coordinator's certificate (and, if configured, only
 * clients presenting a certificate of the consortium CA), or in plain HTTP on a loopback address
 * only; {@link ConsoleSettings} enforces that rule.
 */
public final class ConsoleServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ConsoleServer.class.getName());

  private static final String CSP =
      "default-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none';"
          + " object-src 'none'";

  /**
   * The governance report is a generated, self-contained page with an inline style sheet and no
   * script: it gets no script at all, and may only be framed by the console.
   */
  private static final String REPORT_CSP =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self';"
          + " base-uri 'none'; form-action 'none'";

  private static final Pattern STUDY_PATH =
      Pattern.compile("/(api/studies|studies)/([^/]+)(/[a-z.]+)?");

  private final HttpServer server;
  private final ExecutorService threads;
  private final ConsoleData data;
  private final ConsoleMetrics metrics;
  private final boolean tls;

  private ConsoleServer(HttpServer server, ExecutorService threads, ConsoleData data, boolean tls) {
    this.server = server;
    this.threads = threads;
    this.data = data;
    this.metrics = new ConsoleMetrics(data);
    this.tls = tls;
  }

  /**
   * Binds the console and starts serving.
   *
   * @param settings where and how to listen
   * @param tlsMaterial the coordinator's certificate and key, and the consortium CA (for client
   *     certificates)
   * @param data what the console shows
   * @throws IOException if the address cannot be bound
   * @throws GeneralSecurityException if the TLS material is unusable
   */
  public static ConsoleServer start(
      ConsoleSettings settings, TlsMaterial tlsMaterial, ConsoleData data)
      throws IOException, GeneralSecurityException {
    InetSocketAddress address =
        new InetSocketAddress(settings.listen().host(), settings.listen().port());
    HttpServer server;
    if (settings.tls()) {
      HttpsServer https = HttpsServer.create(address, 32);
      SSLContext context = sslContext(tlsMaterial);
      boolean needClient = settings.requireClientCertificate();
      https.setHttpsConfigurator(
          new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = context.getDefaultSSLParameters();
              p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
              p.setNeedClientAuth(needClient);
              params.setSSLParameters(p);
            }
          });
      server = https;
    } else {
      server = HttpServer.create(address, 32);
    }
    ExecutorService threads =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "console");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    ConsoleServer console = new ConsoleServer(server, threads, data, settings.tls());
    server.createContext("/", console::handle);
    server.start();
    LOG.log(System.Logger.Level.INFO, "console at " + console.uri());
    return console;
  }

  /** The port the console listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The console's address, e.g. {@code https://127.0.0.1:8443/}. */
  public URI uri() {
    String host = server.getAddress().getHostString();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create((tls ? "https" : "http") + "://" + host + ":" + port() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static SSLContext sslContext(TlsMaterial tls) throws GeneralSecurityException {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = new char[0];
      keys.setKeyEntry(
          "coordinator",
          tls.privateKey(),
          password,
          new Certificate[] {tls.certificate(), tls.ca()});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("consortium-ca", tls.ca());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot build the console's key store: " + e, e);
    }
  }

  /** A response: status, content type, body, and the caching/CSP policy it needs. */
  record Response(int status, String type, byte[] body, boolean cache, String csp) {
    static Response json(String json) {
      return new Response(200, "application/json; charset=utf-8", utf8(json), false, CSP);
    }

    static Response text(int status, String text) {
      return new Response(status, "text/plain; charset=utf-8", utf8(text + "\n"), false, CSP);
    }

    private static byte[] utf8(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response r;
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        r = Response.text(405, "the console is read-only: " + method + " is not allowed");
      } else {
        try {
          r = route(exchange.getRequestURI());
        } catch (RuntimeException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "console: " + exchange.getRequestURI().getRawPath() + " failed",
              e);
          r = Response.text(500, "internal error: " + e.getClass().getSimpleName());
        }
      }
      metrics.counted(r.status());
      send(exchange, r, method.equals("HEAD"));
    }
  }

  private Response route(URI uri) {
    String path = uri.getRawPath();
    // No percent-decoding and no dot segments: what is served is looked up by exact name.
    if (path == null || path.contains("%") || path.contains("..") || path.contains("//")) {
      return Response.text(400, "bad path");
    }
    switch (path) {
      case "/", "/index.html":
        return StaticAssets.get("index.html").orElseThrow();
      case "/metrics":
        return new Response(200, ConsoleMetrics.CONTENT_TYPE, metrics.scrape(), false, CSP);
      case "/api/participants":
        return Response.json(data.participantsJson());
      case "/api/studies":
        return Response.json(data.studiesJson());
      default:
        break;
    }
    if (path.startsWith("/assets/")) {
      return StaticAssets.get(path.substring("/assets/".length()))
          .orElseGet(() -> Response.text(404, "no such asset"));
    }
    Matcher m = STUDY_PATH.matcher(path);
    if (!m.matches()) {
      return Response.text(404, "not found: " + path);
    }
    String id = m.group(2);
    if (!ConsoleData.validStudyId(id)) {
      return Response.text(400, "not a study id");
    }
    String rest = m.group(3) == null ? "" : m.group(3);
    boolean api = m.group(1).equals("api/studies");
    try {
      if (api) {
        Optional<String> json =
            switch (rest) {
              case "" -> data.studyJson(id);
              case "/log" -> data.logJson(id);
              case "/verify" -> data.verifyJson(id);
              default -> null;
            };
        if (json == null) {
          return Response.text(404, "not found: " + path);
        }
        return json.map(Response::json)
            .orElseGet(() -> Response.text(404, "no study " + id + " on this coordinator"));
      }
      return switch (rest) {
        case "/report.html" ->
            data.reportFile(id, "report.html")
                .map(b -> new Response(200, "text/html; charset=utf-8", b, false, REPORT_CSP))
                .orElseGet(() -> Response.text(404, "study " + id + " has no report (yet)"));
        case "/report.json" ->
            data.reportFile(id, "report.json")
                .map(b -> new Response(200, "application/json; charset=utf-8", b, false, CSP))
                .orElseGet(() -> Response.text(404, "study " + id + " has no report (yet)"));
        default -> Response.text(404, "not found: " + path);
      };
    } catch (IOException e) {
      return Response.text(500, "cannot read the records of study " + id + ": " + e.getMessage());
    }
  }

  private static void send(HttpExchange exchange, Response r, boolean head) throws IOException {
    var h = exchange.getResponseHeaders();
    h.set("Content-Type", r.type());
    h.set("Content-Security-Policy", r.csp());
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "SAMEORIGIN");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cross-Origin-Resource-Policy", "same-origin");
    h.set("Cache-Control", r.cache() ? "max-age=300" : "no-store");
    if (exchange instanceof com.sun.net.httpserver.HttpsExchange) {
      h.set("Strict-Transport-Security", "max-age=31536000");
    }
    if (head) {
      h.set("Content-Length", Integer.toString(r.body().length));
      exchange.sendResponseHeaders(r.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(r.body());
    }
  }
}
