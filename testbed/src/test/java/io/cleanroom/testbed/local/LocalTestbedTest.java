package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.testbed.generate.SimpleGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole studies through the local testbed: separate processes and in-process, on loopback. */
class LocalTestbedTest {

  @TempDir static Path temp;
  private static Path data;
  private static PlaintextCounts expected;

  @BeforeAll
  static void dataset() throws Exception {
    data = temp.resolve("data");
    SimpleGenerator.generate(data, 3, 3000, 7);
    expected = PlaintextCounts.of(data, List.of("bank-a", "bank-b", "bank-c"));
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static void assertTotals(JsonNode totals) {
    assertEquals(expected.accounts, totals.get("accounts").asLong());
    assertEquals(expected.transactions.size(), totals.get("transactions").asLong());
    assertEquals(expected.alertAccounts, totals.get("alert_accounts").asLong());
    assertEquals(expected.greyAccounts, totals.get("grey_accounts").asLong());
  }

  @Test
  void threeNodeMultiProcessStudy_opensTheRightTotals() throws Exception {
    Path out = temp.resolve("multi");
    Map<String, Object> summary =
        LocalTestbed.run(LocalTestbed.Options.of(data, out, false), quiet());
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));
    JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("multi-process", json.get("mode").asText());
    assertEquals(
        List.of("bank-a", "bank-b", "bank-c"),
        List.of(
            json.get("banks").get(0).asText(),
            json.get("banks").get(1).asText(),
            json.get("banks").get(2).asText()));
    assertTotals(json.get("totals"));
    JsonNode aggregate = json.get("phases").get(2);
    assertEquals("aggregate", aggregate.get("name").asText());
    // every node sent shares and openings: 2 rounds × 2 peers × 4 elements of 8 bytes, at least
    for (String bank : List.of("bank-a", "bank-b", "bank-c")) {
      assertTrue(aggregate.get("bytes_sent").get(bank).asLong() >= 2 * 2 * 4 * 8);
    }
    assertTrue(aggregate.get("bytes_sent").get("coordinator").asLong() > 0);
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }

  @Test
  void inProcessStudy_givesTheSameTotals() throws Exception {
    Path out = temp.resolve("in-process");
    Map<String, Object> summary =
        LocalTestbed.run(LocalTestbed.Options.of(data, out, true), quiet());
    assertEquals("DESTROYED", summary.get("state"));
    assertTotals(new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("totals"));
  }

  @Test
  void nodeThatFailsToStart_failsTheStudyAndLeavesNoProcess() {
    Path out = temp.resolve("broken");
    TestbedException e =
        assertThrows(
            TestbedException.class,
            () ->
                LocalTestbed.run(
                    LocalTestbed.Options.of(data, out, false).withBrokenNode("bank-b"), quiet()));
    assertTrue(e.getMessage().startsWith("bank-b exited with code 2"), e.getMessage());
    assertTrue(e.getMessage().contains("is for bank-c/node, not bank-b/node"), e.getMessage());
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }

  @Test
  void nodeWithBadInput_exitsBeforeSendingAnything() throws Exception {
    Path broken = temp.resolve("broken-data");
    for (String bank : List.of("bank-a", "bank-b", "bank-c")) {
      Files.createDirectories(broken.resolve(bank));
      try (var files = Files.list(data.resolve(bank))) {
        for (Path f : files.toList()) {
          Files.copy(f, broken.resolve(bank).resolve(f.getFileName()));
        }
      }
    }
    Path accounts = broken.resolve("bank-b").resolve("accounts.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(accounts));
    String[] first = lines.get(1).split(",", -1);
    int opened = List.of(lines.get(0).split(",")).indexOf("opened_on");
    first[opened] = "2026-13-45";
    lines.set(1, String.join(",", first));
    Files.write(accounts, lines);

    Path out = temp.resolve("bad-input");
    TestbedException e =
        assertThrows(
            TestbedException.class,
            () -> LocalTestbed.run(LocalTestbed.Options.of(broken, out, false), quiet()));
    assertTrue(e.getMessage().startsWith("bank-b exited with code 2"), e.getMessage());
    assertTrue(e.getMessage().contains("bad input, nothing was sent"), e.getMessage());
    assertTrue(e.getMessage().contains("bank-b/accounts.csv line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("opened_on"), e.getMessage());
    String coordinatorLog = Files.readString(out.resolve("logs").resolve("coordinator.log"));
    assertFalse(coordinatorLog.contains("bank-b connected"), coordinatorLog);
    assertEquals(0, ProcessHandle.current().descendants().count(), "child processes left");
  }

  @Test
  void datasetWithOneBank_isRefused() {
    TestbedException e =
        assertThrows(
            TestbedException.class,
            () ->
                LocalTestbed.run(
                    LocalTestbed.Options.of(data.resolve("bank-a"), temp.resolve("x"), true),
                    quiet()));
    assertTrue(e.getMessage().contains("a study needs at least 2"), e.getMessage());
  }
}
