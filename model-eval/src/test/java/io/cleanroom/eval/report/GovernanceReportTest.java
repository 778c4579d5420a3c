package io.cleanroom.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.eval.StudyFixture;
import io.cleanroom.eval.policy.PolicyReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GovernanceReportTest {

  @TempDir static Path dir;
  private static GovernanceReport report;

  @BeforeAll
  static void study() throws Exception {
    StudyFixture study = new StudyFixture(dir.resolve("pki"));
    report = GovernanceReport.of(PolicyReader.defaultPolicy(), study.evidence().build());
  }

  @Test
  void json_hasTheDocumentedTopLevelKeys() throws Exception {
    JsonNode root = new ObjectMapper().readTree(report.json());
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(keys::add);
    assertEquals(
        List.of(
            "schema_version",
            "study",
            "release",
            "articles",
            "policy",
            "risk",
            "model",
            "data_quality",
            "validation",
            "fairness",
            "proxy_check",
            "explainability",
            "monitoring",
            "security",
            "transmission",
            "records"),
        keys);
    assertEquals(ReportJson.SCHEMA_VERSION, root.get("schema_version").asInt());
    assertEquals(report.assessment().verdict().name(), root.at("/release/verdict").asText());
    assertEquals("6", root.at("/articles/2/article").asText());
    assertEquals("6.protected_features", root.at("/articles/2/checks/0/id").asText());
    assertEquals(10_000 / 100, root.at("/validation/score_distribution/alert").size());
    assertTrue(root.at("/fairness/attributes/0/groups/0/alert_rate/low").isNumber());
    assertEquals("bank-a", root.at("/security/certificates/0/party").asText());
    assertEquals(3, root.at("/security/destruction_receipts").size());
  }

  @Test
  void json_isDeterministic_andTheDigestIsItsSha256() throws Exception {
    assertArrayEquals(report.json(), report.json());
    Path out = dir.resolve("out");
    String digest = report.write(out);
    byte[] written = Files.readAllBytes(out.resolve(GovernanceReport.JSON_FILE));
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written)), digest);
    assertEquals(digest, report.digest());
    String html = Files.readString(out.resolve(GovernanceReport.HTML_FILE), StandardCharsets.UTF_8);
    assertTrue(html.contains(digest));
  }

  @Test
  void json_writesUndefinedNumbersAsNull() throws Exception {
    // The later window has no labels' worth of difference for suppressed groups; the proxy
    // check's undefined correlations and missing intervals are null, never "NaN".
    String json = new String(report.json(), StandardCharsets.UTF_8);
    assertFalse(json.contains("NaN"));
    assertFalse(json.contains("Infinity"));
    JsonNode root = new ObjectMapper().readTree(report.json());
    assertTrue(root.at("/articles/0/checks/0/value").isNull());
    assertTrue(root.at("/articles/0/checks/0/interval").isNull());
  }

  @Test
  void html_isSelfContained() {
    String html = ReportHtml.render(report, report.digest());
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("<meta charset=\"utf-8\">"));
    for (String forbidden : List.of("<script", "<link", "<img", "<iframe", "@import")) {
      assertFalse(html.contains(forbidden), forbidden);
    }
    // SVG clip paths refer to elements of the page itself: url(#id).
    assertFalse(Pattern.compile("url\\((?!#)").matcher(html).find());
    // Links and references stay inside the page; xmlns URIs are names, not fetched.
    assertFalse(html.contains("src="));
    Matcher refs = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
    while (refs.find()) {
      assertTrue(refs.group(1).startsWith("#"), refs.group());
    }
  }

  @Test
  void html_hasEverySectionAndChart() {
    String html = ReportHtml.render(report, report.digest());
    for (String id :
        List.of(
            "verdicts",
            "risk",
            "quality",
            "validation",
            "fairness",
            "proxy",
            "explain",
            "monitoring",
            "trust",
            "security",
            "records")) {
      assertTrue(html.contains("<section id=\"" + id + "\">"), id);
    }
    // ROC, PR, score distribution, weights, PSI, and one rates chart per attribute.
    assertEquals(5 + 4, count(html, "<svg "));
    assertTrue(html.contains("ROC curve"));
  }

  @Test
  void html_showsChineseText_andEscapesEvidence() {
    String html = ReportHtml.render(report, report.digest());
    assertTrue(html.contains("公平對待"));
    assertTrue(html.contains("轉入金額隨即轉出（快進快出）"));
    assertTrue(html.contains("&lt;nobody&gt;"));
    assertFalse(html.contains("<nobody>"));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
