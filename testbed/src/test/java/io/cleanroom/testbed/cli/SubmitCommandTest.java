package io.cleanroom.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.pki.ConsortiumPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleanroom submit} names what is wrong when it cannot run a study. */
class SubmitCommandTest {

  @TempDir Path dir;

  private record Result(int code, String err) {}

  private static Result submit(String... args) {
    PrintStream before = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      String[] all = new String[args.length + 1];
      all[0] = "submit";
      System.arraycopy(args, 0, all, 1, args.length);
      int code = CleanroomCli.execute(all);
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(before);
    }
  }

  @Test
  void missingOperatorFolder_isNamed() {
    Result r =
        submit(
            "--coordinator",
            "127.0.0.1:1",
            "--tls",
            dir.resolve("nope").toString(),
            "--participants",
            "bank-a,bank-b");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("nope"), r.err());
  }

  @Test
  void badAddress_isNamed() throws Exception {
    ConsortiumPki.init(dir.resolve("pki"), List.of(), List.of());
    Result r =
        submit(
            "--coordinator",
            "coordinator.example",
            "--tls",
            dir.resolve("pki/operator").toString(),
            "--participants",
            "bank-a,bank-b");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("is not host:port"), r.err());
  }

  @Test
  void noCoordinatorListening_failsAfterTheWaitNamingTheAddress() throws Exception {
    ConsortiumPki.init(dir.resolve("pki"), List.of(), List.of());
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    Result r =
        submit(
            "--coordinator",
            "127.0.0.1:" + port,
            "--tls",
            dir.resolve("pki/operator").toString(),
            "--participants",
            "bank-a,bank-b",
            "--wait-seconds",
            "1");
    assertEquals(1, r.code());
    assertTrue(
        r.err().contains("127.0.0.1:" + port + " did not answer its health check within 1 s"),
        r.err());
    assertTrue((System.nanoTime() - t0) / 1e9 < 30, "gave up late");
  }
}
