package io.cleanroom.testbed.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.testing.ExternalTools;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The coordinator's web console in a real headless Chromium while a fraud study runs (in-process, 3
 * banks): the study page shows the study advancing through its states to DESTROYED, the report link
 * shows the governance report, Verify checks the protocol log, and the participants and the
 * destruction receipts are shown with their fingerprints and signatures.
 *
 * <p>The console is served in plain HTTP on loopback (what the configuration allows without TLS),
 * so the browser needs no certificate exception.
 */
class ConsoleBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path temp;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void consoleFollowsARunningStudy_toItsReportVerifiedLogAndReceipts() throws Exception {
    ExternalTools.require(CHROMIUM, "chromium");
    ExternalTools.require(CHROMEDRIVER, "chromium-driver");
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 1500, 11));
    int port = freePort();
    // Keeps the coordinator up after the study, until the browser is done with it.
    CompletableFuture<Void> release = new CompletableFuture<>();
    LocalTestbed.Options options =
        LocalTestbed.Options.of(data, temp.resolve("out"), true)
            .withTask(Tasks.FRAUD_STUDY, Map.of())
            .withConsole(port, release)
            // On a quiet machine this study takes about 4 s, less than the browser needs to
            // start and open the page; delaying bank-a's share batches to bank-b by 50 ms each
            // keeps it running for several more seconds, so the page can follow it.
            .withFault("bank-a", "bank-b", 50, null, 300);
    String console = "http://127.0.0.1:" + port + "/";

    WebDriver browser = chromium();
    CompletableFuture<Map<String, Object>> study = null;
    try {
      study =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return LocalTestbed.run(options, quiet());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      wait.pollingEvery(Duration.ofMillis(100));
      // The console comes up with the coordinator, before the study starts.
      CompletableFuture<Map<String, Object>> running = study;
      wait.until(
          b -> {
            if (running.isDone()) {
              return true;
            }
            try {
              b.get(console);
              return !b.findElements(By.id("studies")).isEmpty();
            } catch (RuntimeException notUpYet) {
              return false;
            }
          });
      WebElement link =
          wait.until(
              b -> {
                List<WebElement> links = b.findElements(By.cssSelector("#studies a.study-link"));
                return links.isEmpty() ? null : links.get(0);
              });
      String studyId = link.getText();
      link.click();

      // Follow the study's state on its page until it ends.
      Set<String> states = new LinkedHashSet<>();
      Set<String> phases = new LinkedHashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      String state = "";
      while (System.nanoTime() < deadline) {
        state = browser.findElement(By.id("study-state")).getText();
        if (!state.isEmpty()) {
          states.add(state);
        }
        String phase = browser.findElement(By.id("study-phase")).getText();
        if (!phase.isEmpty()) {
          phases.add(phase);
        }
        if (state.equals("DESTROYED") || state.equals("ABORTED")) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("DESTROYED", state, "states seen: " + states);
      assertTrue(
          states.size() >= 2, "the page showed no state before DESTROYED: " + states + phases);
      // Every phase is listed with its progress bar full.
      List<WebElement> rows = browser.findElements(By.cssSelector("#phases tbody tr"));
      assertTrue(rows.size() >= 4, "phases listed: " + rows.size());
      for (WebElement row : rows) {
        String value = row.findElement(By.tagName("progress")).getAttribute("value");
        assertEquals(1.0, Double.parseDouble(value), 1e-9, row.getText());
      }

      // The governance report, embedded.
      WebElement reportLink = wait.until(b -> visible(b, "report-link"));
      reportLink.click();
      browser.switchTo().frame("report-frame");
      // (WebDriver's title is the top-level page's; the frame's own heading says what it shows.)
      wait.until(
          b ->
              b.findElements(By.tagName("h1")).stream()
                  .anyMatch(h -> h.getText().startsWith("AI governance report")));
      String report = browser.findElement(By.tagName("body")).getText();
      assertTrue(report.contains("Study " + studyId), "the report of another study");
      assertTrue(report.contains("Article"), "no article in the embedded report");
      browser.switchTo().defaultContent();

      // Verify the protocol log server-side.
      browser.findElement(By.id("verify")).click();
      WebElement verdict =
          wait.until(
              b -> {
                WebElement r = b.findElement(By.id("verify-result"));
                return r.getText().startsWith("OK") || r.getText().startsWith("FAILED") ? r : null;
              });
      assertTrue(verdict.getText().startsWith("OK:"), verdict.getText());
      assertTrue(
          browser
              .findElement(By.id("verify-detail"))
              .getText()
              .contains("signatures over the plan"));

      // Checkpoints, and one verified destruction receipt per bank.
      assertTrue(!browser.findElements(By.cssSelector("#checkpoints tbody tr")).isEmpty());
      List<WebElement> receipts = browser.findElements(By.cssSelector("#receipts tbody tr"));
      assertEquals(3, receipts.size(), "receipts shown");
      for (WebElement r : receipts) {
        assertTrue(r.getText().contains("verified") && !r.getText().contains("NOT"), r.getText());
      }

      // The participants with their certificate fingerprints, on the overview.
      browser.findElement(By.cssSelector("header h1 a")).click();
      wait.until(
          b ->
              b.findElements(By.cssSelector("#participants tbody tr")).size() >= 1
                  && b.findElement(By.id("log-key")).getText().length() == 32);
      List<WebElement> participants =
          browser.findElements(By.cssSelector("#participants tbody tr"));
      WebElement coordinator = participants.get(0);
      assertTrue(coordinator.getText().startsWith("coordinator"), coordinator.getText());
      assertTrue(
          coordinator.findElement(By.tagName("code")).getText().matches("[0-9a-f]{64}"),
          coordinator.getText());
      assertTrue(
          browser.findElement(By.cssSelector("#studies tbody")).getText().contains("DESTROYED"));

      release.complete(null);
      Map<String, Object> summary = study.get(60, TimeUnit.SECONDS);
      assertEquals("DESTROYED", summary.get("state"));
      assertEquals(studyId, summary.get("study"));
    } finally {
      browser.quit();
      release.complete(null);
      if (study != null) {
        try {
          study.get(120, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // The assertions above report what went wrong.
        }
      }
    }
  }

  private static WebElement visible(WebDriver b, String id) {
    WebElement e = b.findElement(By.id(id));
    return e.isDisplayed() ? e : null;
  }

  /** Headless Chromium from Debian's packages; nothing is downloaded. */
  private WebDriver chromium() throws IOException {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogOutput(PrintStream.nullOutputStream())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + Files.createTempDirectory(temp, "chromium-profile"));
    return new ChromeDriver(service, options);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
