package io.cleanroom.eval.report;

import static io.cleanroom.eval.report.Html.badge;
import static io.cleanroom.eval.report.Html.cell;
import static io.cleanroom.eval.report.Html.esc;
import static io.cleanroom.eval.report.Html.interval;
import static io.cleanroom.eval.report.Html.num;

import io.cleanroom.eval.policy.ArticleResult;
import io.cleanroom.eval.policy.Check;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.policy.Policy;
import io.cleanroom.eval.policy.Verdict;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report.html}: the governance report as one self-contained page, UTF-8, with inline CSS and
 * inline SVG charts, fetching nothing from the network. Sections: verdicts by article (with every
 * check), risk assessment, data quality, validation (ROC and precision-recall curves, score
 * distribution, calibration), fairness (group rates with intervals, disparities), proxy check,
 * explainability (weights, contributions, reason texts in Chinese and English), monitoring (PSI,
 * alert-rate drift), trust model and leakage profile, security and transmission, and records
 * (protocol log head, model provenance).
 */
public final class ReportHtml {
  private ReportHtml() {}

  private static final String CSS =
      """
      body{font-family:"Noto Sans TC","PingFang TC","Microsoft JhengHei",system-ui,sans-serif;
        margin:0 auto;max-width:1100px;padding:1.5em;color:#222;line-height:1.45}
      h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
      nav a{margin-right:.8em}table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
      th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
      th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
      .v{font-weight:bold;padding:.1em .45em;border-radius:3px;color:#fff}
      .PASS{background:#2e7d32}.WARN{background:#e0a000}.FAIL{background:#c0392b}
      .banner{padding:.8em 1em;border-radius:4px;margin:1em 0;font-size:1.1em}
      .banner.blocked{background:#fdecea;border:1px solid #c0392b}
      .banner.released{background:#edf7ed;border:1px solid #2e7d32}
      pre{background:#f7f7f7;border:1px solid #ddd;padding:.6em;white-space:pre-wrap;
        word-break:break-all;font-size:.85em}
      .charts{display:flex;flex-wrap:wrap;gap:1em}.none{color:#777;font-style:italic}
      code{font-size:.9em}
      """;

  /** The page for {@code report}, whose {@code report.json} has SHA-256 {@code jsonDigest}. */
  public static String render(GovernanceReport report, String jsonDigest) {
    Evidence e = report.evidence();
    Html h = new Html();
    h.raw("<!DOCTYPE html>\n<html lang=\"zh-Hant\">\n<head>\n<meta charset=\"utf-8\">\n")
        .element("title", "Governance report 治理報告 — " + e.study())
        .raw("<style>\n" + CSS + "</style>\n</head>\n<body>\n")
        .element("h1", "AI governance report 人工智慧治理報告")
        .element(
            "p",
            "Study "
                + e.study()
                + " · banks "
                + String.join(", ", e.banks())
                + " · as of "
                + e.asOf());
    banner(h, report);
    h.raw(
        "<nav><a href=\"#verdicts\">Verdicts</a><a href=\"#risk\">Risk</a>"
            + "<a href=\"#quality\">Data quality</a><a href=\"#validation\">Validation</a>"
            + "<a href=\"#fairness\">Fairness</a><a href=\"#proxy\">Proxy check</a>"
            + "<a href=\"#explain\">Explainability</a><a href=\"#monitoring\">Monitoring</a>"
            + "<a href=\"#trust\">Trust model</a><a href=\"#security\">Security</a>"
            + "<a href=\"#records\">Records</a></nav>\n");
    h.element(
        "p",
        "report.json SHA-256: " + jsonDigest + " · policy SHA-256: " + report.policy().sha256());
    verdicts(h, report);
    risk(h, report.policy());
    ModelSections.dataQuality(h, e);
    ModelSections.validation(h, e.validation());
    ModelSections.fairness(h, e.fairness());
    ModelSections.proxy(h, e);
    ModelSections.explainability(h, e);
    ModelSections.monitoring(h, report);
    trust(h, e.security());
    security(h, e.security());
    records(h, e.records());
    h.raw("</body>\n</html>\n");
    return h.toString();
  }

  private static void banner(Html h, GovernanceReport report) {
    boolean blocked = report.assessment().releaseBlocked();
    h.raw("<div class=\"banner " + (blocked ? "blocked" : "released") + "\">")
        .raw(badge(report.assessment().verdict()))
        .raw(
            esc(
                blocked
                    ? " Release blocked 暫停上線: at least one article fails the policy."
                    : " Release not blocked 未阻擋上線: no article fails the policy."))
        .raw("</div>\n");
  }

  private static void verdicts(Html h, GovernanceReport report) {
    h.section("verdicts", "Verdicts by article 各條結論");
    List<List<String>> rows = new ArrayList<>();
    for (ArticleResult a : report.assessment().articles()) {
      rows.add(
          List.of(
              "<a href=\"#article-" + a.article().number() + "\">" + a.article().number() + "</a>",
              esc(a.article().titleZh()),
              esc(a.article().titleEn()),
              badge(a.verdict()),
              counts(a)));
    }
    h.table(List.of("Article 條", "標題", "Title", "Verdict", "Checks"), rows);
    for (ArticleResult a : report.assessment().articles()) {
      h.raw("<h3 id=\"article-" + a.article().number() + "\">")
          .raw(
              esc(
                  "Article "
                      + a.article().number()
                      + " · "
                      + a.article().titleZh()
                      + " · "
                      + a.article().titleEn()))
          .raw("</h3>\n");
      List<List<String>> checks = new ArrayList<>();
      for (Check c : a.checks()) {
        checks.add(
            List.of(
                "<code>" + esc(c.id()) + "</code>",
                badge(c.verdict()),
                num(c.value()),
                interval(c.interval()),
                esc(c.rule()),
                esc(c.detail())));
      }
      h.table(List.of("Check", "Verdict", "Value", "Interval", "Rule", "Detail"), checks);
    }
    h.endSection();
  }

  private static String counts(ArticleResult a) {
    int[] n = new int[Verdict.values().length];
    for (Check c : a.checks()) {
      n[c.verdict().ordinal()]++;
    }
    return n[0] + " pass, " + n[1] + " warn, " + n[2] + " fail";
  }

  private static void risk(Html h, Policy p) {
    h.section("risk", "Risk assessment 風險評估 (article 3)");
    h.table(
        List.of("Risk tier", "Lifecycle stage", "Reasons"),
        List.of(
            List.of(
                esc(Policy.label(p.risk().tier())),
                esc(Policy.label(p.risk().lifecycleStage())),
                esc(String.join("; ", p.risk().reasons())))));
    h.element(
        "p",
        "Protected attributes as features: "
            + Policy.label(p.protectedAttributes().asFeatures())
            + " (names: "
            + String.join(", ", p.protectedAttributes().names())
            + ")");
    h.endSection();
  }

  private static void trust(Html h, Evidence.Security s) {
    h.section("trust", "Trust model and leakage profile 信任模型與洩漏概況 (article 5)");
    h.element("h3", "Trust model");
    h.pre(s == null ? null : s.trustModel());
    h.element("h3", "What each party learns");
    h.pre(s == null ? null : s.leakageProfile());
    h.endSection();
  }

  private static void security(Html h, Evidence.Security s) {
    h.section("security", "Security and transmission 資訊安全與傳輸 (articles 5 and 8)");
    if (s == null) {
      h.element("p class=\"none\"", "No security evidence.");
      h.endSection();
      return;
    }
    h.element(
        "p",
        "Channels: "
            + (s.mutualTls() ? "gRPC over mutual TLS" : "NOT all over mutual TLS")
            + " · session stores: "
            + (s.sessionStoreEncryption() == null || s.sessionStoreEncryption().isBlank()
                ? "not encrypted"
                : "encrypted with " + s.sessionStoreEncryption()));
    List<List<String>> certs = new ArrayList<>();
    for (X509Certificate c : s.certificates()) {
      certs.add(
          List.of(
              esc(PartyIdentity.of(c).name()),
              esc(c.getSubjectX500Principal().getName()),
              esc(c.getNotAfter().toInstant().toString())));
    }
    h.element("h3", "Certificates");
    h.table(List.of("Party", "Subject", "Valid until"), certs);
    List<List<String>> traffic = new ArrayList<>();
    for (Evidence.Traffic t : s.traffic()) {
      traffic.add(List.of(esc(t.party()), esc(t.phase()), cell(t.bytesSent()), cell(t.messages())));
    }
    h.element("h3", "What crossed the wire");
    h.table(List.of("Party", "Phase", "Bytes sent", "Messages"), traffic);
    h.element("h3", "Destruction receipts");
    if (s.destructionReceipts() == null) {
      h.element("p class=\"none\"", "Pending: the study has not reached its destroy step.");
    } else {
      List<List<String>> receipts = new ArrayList<>();
      for (DestructionReceipt r : s.destructionReceipts()) {
        receipts.add(
            List.of(
                esc(r.node()),
                cell(r.files()),
                cell(r.bytes()),
                esc(Instant.ofEpochMilli(r.destroyedAtMillis()).toString()),
                "<code>" + esc(r.listingSha256()) + "</code>"));
      }
      h.table(List.of("Node", "Files", "Bytes", "Destroyed at", "Listing SHA-256"), receipts);
    }
    h.endSection();
  }

  private static void records(Html h, Evidence.Records r) {
    h.section("records", "Records 紀錄 (article 10)");
    if (r == null) {
      h.element("p class=\"none\"", "No records evidence.");
      h.endSection();
      return;
    }
    h.element(
        "p",
        r.logEntries()
            + " log entries, "
            + r.signedCheckpoints()
            + " signed checkpoints, chain "
            + (r.chainVerified() ? "verified" : "NOT verified")
            + ", head "
            + r.headHash());
    h.element("h3", "Protocol log (head)");
    h.pre(r.logHead());
    h.element("h3", "Model provenance");
    h.pre(r.modelProvenance());
    h.endSection();
  }
}
