package io.cleanroom.testbed.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governance report of whole fraud studies (in-process): a model trained on data whose mules
 * were recruited mostly among the young gets a fairness FAIL naming the age band, which blocks the
 * model's release; the same data without that bias has no fairness FAIL, and the model is released.
 */
class GovernanceReportStudyTest {

  private static final int ACCOUNTS = 8000;
  private static final long SEED = 7;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private Map<String, Object> run(GeneratorOptions options, Path out) throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, options);
    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true).withTask(Tasks.FRAUD_STUDY, Map.of()),
            quiet());
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));
    return summary;
  }

  private static List<JsonNode> checks(JsonNode report, String prefix, String verdict) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : report.get("articles")) {
      for (JsonNode c : a.get("checks")) {
        if (c.get("id").asText().startsWith(prefix) && c.get("verdict").asText().equals(verdict)) {
          out.add(c);
        }
      }
    }
    return out;
  }

  @Test
  void recruitmentBiasAgainstTheYoung_failsFairnessNamingTheGroup_andBlocksRelease()
      throws Exception {
    Path out = temp.resolve("out");
    Map<String, Object> summary =
        run(GeneratorOptions.of(3, ACCOUNTS, SEED).withRecruitmentBias("age:<25=5"), out);
    JsonNode report = JSON.readTree(out.resolve("report/report.json").toFile());

    List<JsonNode> failures = checks(report, "6.age_band.", "FAIL");
    assertFalse(failures.isEmpty(), "no age-band fairness FAIL: " + report.get("articles"));
    JsonNode impact =
        failures.stream()
            .filter(c -> c.get("id").asText().equals("6.age_band.disparate_impact"))
            .findFirst()
            .orElseThrow();
    assertTrue(impact.get("detail").asText().contains("<25 (highest)"), impact.toString());
    assertTrue(impact.get("value").asDouble() < 0.8, impact.toString());

    @SuppressWarnings("unchecked")
    Map<String, Object> verdicts = (Map<String, Object>) summary.get("report");
    assertEquals("blocked", verdicts.get("release"));
    assertEquals("FAIL", ((Map<?, ?>) verdicts.get("articles")).get("6"));
    assertTrue(verdicts.get("failures").toString().contains("6.age_band.disparate_impact"));
    assertTrue(report.get("release").get("blocked").asBoolean());
    // Nothing that depends on the model is released; the linked risk is.
    assertFalse(Files.exists(out.resolve("model")));
    assertFalse(Files.exists(out.resolve("scores")));
    assertFalse(Files.exists(out.resolve("explanations")));
    assertTrue(Files.exists(out.resolve("risk/bank-a.csv")));
  }

  @Test
  void sameDataWithoutBias_passesFairness_releasesTheModel_andLogsTheReportDigest()
      throws Exception {
    Path out = temp.resolve("out");
    Map<String, Object> summary = run(GeneratorOptions.of(3, ACCOUNTS, SEED), out);
    Path json = out.resolve("report/report.json");
    JsonNode report = JSON.readTree(json.toFile());
    assertEquals(List.of(), checks(report, "6.", "FAIL"));

    @SuppressWarnings("unchecked")
    Map<String, Object> verdicts = (Map<String, Object>) summary.get("report");
    assertTrue(
        List.of("PASS", "WARN").contains(((Map<?, ?>) verdicts.get("articles")).get("6")),
        verdicts.toString());
    assertTrue(Files.size(out.resolve("report/report.html")) > 0);

    // The log's REPORT entry holds the SHA-256 of report.json, as the summary does.
    String digest =
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(json)));
    assertEquals(digest, verdicts.get("sha256"));
    List<LogEntry> reports =
        LogEntries.read(out.resolve("log")).stream()
            .filter(e -> e.kind() == EntryKind.REPORT)
            .toList();
    assertEquals(1, reports.size());
    JsonNode entry = JSON.readTree(reports.get(0).body());
    assertEquals("report/report.json", entry.get("name").asText());
    assertEquals(digest, entry.get("sha256").asText());

    // No other article fails on this data either, so the model is released with the
    // explanations of every bank's alerts.
    assertEquals("allowed", verdicts.get("release"), verdicts.toString());
    assertTrue(Files.exists(out.resolve("model/joint-model.json")));
    int explained = 0;
    for (String bank : List.of("bank-a", "bank-b", "bank-c")) {
      List<String> lines = Files.readAllLines(out.resolve("explanations/" + bank + ".csv"));
      assertEquals(
          "account_id,score,logit,rank,feature,value,contribution,reason_zh,reason_en",
          lines.get(0));
      explained += lines.size() - 1;
    }
    assertTrue(explained > 0, "no alert explained");
  }
}
