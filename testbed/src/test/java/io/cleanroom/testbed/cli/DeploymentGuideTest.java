package io.cleanroom.testbed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the worked example of {@code docs/deployment.md} exactly as written: every shell block of
 * its last section, in order, in one bash script, with {@code ./cleanroom} being this build's
 * command line. The example enrols three banks by certificate signing request, starts the
 * coordinator and three nodes as separate processes from their own configuration files, submits a
 * fraud study as the operator, verifies the protocol log and stops the parties.
 */
class DeploymentGuideTest {

  private static final Path GUIDE = Path.of("..", "docs", "deployment.md");
  private static final String EXAMPLE_HEADING = "## A worked example";
  private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  /** The shell blocks of the guide's worked example, in order. */
  static List<String> exampleBlocks(String guide) {
    int at = guide.indexOf(EXAMPLE_HEADING);
    assertTrue(at >= 0, "the guide has no section \"" + EXAMPLE_HEADING + "\"");
    List<String> blocks = new ArrayList<>();
    Matcher m = SHELL_BLOCK.matcher(guide.substring(at));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void exampleBlocks_areFoundAndUseOnlyTheCommandLine() throws IOException {
    List<String> blocks = exampleBlocks(Files.readString(GUIDE, StandardCharsets.UTF_8));
    assertTrue(blocks.size() >= 6, "expected the example's steps, found " + blocks.size());
    String all = String.join("\n", blocks);
    for (String command :
        List.of(
            "generate",
            "pki init",
            "pki request",
            "pki sign",
            "coordinator",
            "node",
            "submit",
            "log verify")) {
      assertTrue(all.contains("./cleanroom " + command), "the example does not run " + command);
    }
  }

  /**
   * Every {@code ./cleanroom} command anywhere in the guide, outside the example too, is one the
   * command line accepts: its subcommand and options exist and their values parse.
   */
  @Test
  void everyCommandInTheGuide_parses() throws IOException {
    String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
    Matcher m = SHELL_BLOCK.matcher(guide);
    int commands = 0;
    while (m.find()) {
      String block = m.group(1).replace("\\\n", " ");
      for (String line : block.split("\n")) {
        String command = line.strip();
        if (!command.startsWith("./cleanroom ")) {
          continue;
        }
        command = command.replaceAll("\\s*[#<>&].*$", "").replace("$bank", "bank-a");
        String[] args = command.substring("./cleanroom ".length()).trim().split("\\s+");
        try {
          CleanroomCli.commandLine().parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
          throw new AssertionError("the guide's command \"" + command + "\": " + e.getMessage());
        }
        commands++;
      }
    }
    assertTrue(commands >= 12, "found only " + commands + " commands");
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void workedExample_runsAsWritten() throws Exception {
    String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
    Path launcher = dir.resolve("cleanroom");
    Files.writeString(
        launcher,
        "#!/usr/bin/env bash\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -Xmx768m -cp '"
            + System.getProperty("java.class.path")
            + "' io.cleanroom.testbed.cli.CleanroomCli \"$@\"\n");
    assertTrue(launcher.toFile().setExecutable(true));
    Path script = dir.resolve("example.sh");
    Files.writeString(
        script,
        "set -euo pipefail\n"
            // Whatever happens, no party outlives the script.
            + "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
            + String.join("\n", exampleBlocks(guide)));
    Path output = dir.resolve("example.out");
    Process bash =
        new ProcessBuilder("bash", script.toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean ended = bash.waitFor(9, TimeUnit.MINUTES);
    if (!ended) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertTrue(ended, "the example did not finish:\n" + printed + logs());
    assertEquals(0, bash.exitValue(), "the example failed:\n" + printed + logs());

    JsonNode summary =
        new ObjectMapper().readTree(dir.resolve("example/third-party/summary.json").toFile());
    assertEquals("DESTROYED", summary.get("state").asText(), summary.toString());
    assertEquals("deployed", summary.get("mode").asText());
    String study = summary.get("study").asText();
    for (String bank : List.of("bank-a", "bank-b", "bank-c")) {
      Path kept = dir.resolve("example").resolve(bank).resolve("work/outputs").resolve(study);
      assertTrue(
          Files.isRegularFile(kept.resolve("risk").resolve(bank + ".csv")),
          bank + " kept no risk scores in " + kept);
      assertTrue(Files.isDirectory(kept.resolve("model")), bank + " kept no model in " + kept);
      assertTrue(
          !Files.exists(dir.resolve("example").resolve(bank).resolve("tls/ca.key")),
          "a bank must never hold the CA key");
    }
    assertTrue(printed.contains("OK"), "log verify did not say OK:\n" + printed);
  }

  private String logs() throws IOException {
    StringBuilder s = new StringBuilder();
    Path example = dir.resolve("example");
    if (!Files.isDirectory(example)) {
      return "";
    }
    try (Stream<Path> files = Files.walk(example, 2)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        List<String> lines = Files.readAllLines(log);
        s.append("\n--- ").append(dir.relativize(log)).append(" (last lines)\n");
        s.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      }
    }
    return s.toString();
  }
}
