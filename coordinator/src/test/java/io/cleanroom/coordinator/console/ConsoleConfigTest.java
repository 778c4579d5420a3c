package io.cleanroom.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.coordinator.Coordinator;
import io.cleanroom.coordinator.config.CoordinatorConfig;
import io.cleanroom.protocol.config.ConfigException;
import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.TlsMaterial;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code console} section of the coordinator's configuration, and the console's lifecycle. */
class ConsoleConfigTest {

  @TempDir Path temp;

  private CoordinatorConfig.Resolved load(String console) throws Exception {
    Path file = temp.resolve("coordinator.yaml");
    Files.writeString(
        file,
        "name: coordinator\nlisten: 127.0.0.1:0\ntls: pki/coordinator\nrecords: records\n"
            + console);
    return CoordinatorConfig.load(file);
  }

  @Test
  void absentSection_meansNoConsole() throws Exception {
    assertNull(load("").console());
  }

  @Test
  void loopback_mayServePlainHttp() throws Exception {
    for (String host : List.of("127.0.0.1", "127.0.0.2", "localhost", "\"[::1]")) {
      CoordinatorConfig.ConsoleSettings c =
          load("console:\n  listen: " + host + ":8443" + (host.startsWith("\"") ? "\"" : "") + "\n")
              .console();
      assertFalse(c.tls(), host);
      assertEquals(8443, c.listen().port());
    }
  }

  @Test
  void otherAddresses_requireTls_namingTheKey() throws Exception {
    for (String host : List.of("0.0.0.0", "10.1.2.3", "\"[::]", "console.example.org")) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  load(
                      "console:\n  listen: "
                          + host
                          + ":8443"
                          + (host.startsWith("\"") ? "\"" : "")
                          + "\n  tls: false\n"),
              host);
      assertTrue(e.getMessage().contains("key console.tls"), e.getMessage());
      assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
    }
    assertTrue(load("console:\n  listen: 0.0.0.0:8443\n  tls: true\n").console().tls());
  }

  @Test
  void clientCertificates_needTls_andUnknownKeysAreRefused() throws Exception {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load("console:\n  listen: 127.0.0.1:0\n  require-client-certificate: true\n"));
    assertTrue(e.getMessage().contains("key console.require-client-certificate"), e.getMessage());
    ConfigException unknown =
        assertThrows(
            ConfigException.class, () -> load("console:\n  listen: 127.0.0.1:0\n  port: 1\n"));
    assertTrue(unknown.getMessage().contains("unknown key \"port\""), unknown.getMessage());
    ConfigException noPort =
        assertThrows(ConfigException.class, () -> load("console:\n  listen: 127.0.0.1\n"));
    assertTrue(noPort.getMessage().contains("key console.listen"), noPort.getMessage());
  }

  @Test
  void coordinator_startsAndStopsItsConsole() throws Exception {
    ConsortiumPki.init(temp.resolve("pki"), List.of("bank-a", "bank-b"), List.of());
    CoordinatorConfig.Resolved config = load("console:\n  listen: 127.0.0.1:0\n  tls: true\n");
    TlsMaterial tls = TlsMaterial.loadDir(config.tls());
    Coordinator c = new Coordinator(config, tls).start();
    int port;
    HttpClient http = HttpClient.newBuilder().sslContext(trusting(tls)).build();
    try {
      port = c.consolePort();
      assertTrue(port > 0);
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("Cleanroom coordinator"));
    } finally {
      c.stop();
    }
    assertThrows(
        ConnectException.class,
        () ->
            http.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()));
  }

  private static javax.net.ssl.SSLContext trusting(TlsMaterial tls) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", tls.ca());
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }
}
