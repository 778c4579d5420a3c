package io.cleanroom.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cleanroom.eval.explain.Direction;
import io.cleanroom.eval.explain.FeatureImportance;
import io.cleanroom.eval.explain.GlobalExplanation;
import io.cleanroom.eval.explain.ReasonText;
import io.cleanroom.eval.fairness.AttributeFairness;
import io.cleanroom.eval.fairness.Correlation;
import io.cleanroom.eval.fairness.Disparity;
import io.cleanroom.eval.fairness.FairnessResult;
import io.cleanroom.eval.fairness.GroupMetrics;
import io.cleanroom.eval.fairness.ProxyCorrelations;
import io.cleanroom.eval.model.LogisticModel;
import io.cleanroom.eval.monitoring.GroupDrift;
import io.cleanroom.eval.monitoring.PsiBin;
import io.cleanroom.eval.monitoring.VariableStability;
import io.cleanroom.eval.policy.ArticleResult;
import io.cleanroom.eval.policy.Check;
import io.cleanroom.eval.policy.Evidence;
import io.cleanroom.eval.policy.Policy;
import io.cleanroom.eval.quality.FeatureQuality;
import io.cleanroom.eval.stats.Interval;
import io.cleanroom.eval.stats.Proportion;
import io.cleanroom.eval.validation.CalibrationBin;
import io.cleanroom.eval.validation.CurvePoint;
import io.cleanroom.eval.validation.ValidationResult;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * {@code report.json}: the governance report as a machine-readable record for internal control and
 * audit (article 15). The schema is stable: fields are added only with a new {@code
 * schema_version}, never renamed or removed within one. Numbers that cannot be computed are {@code
 * null}; so is a section whose evidence is missing. The same evidence always gives the same bytes,
 * so the report's SHA-256 can be logged and checked later.
 *
 * <p>Top-level keys, in order:
 *
 * <ul>
 *   <li>{@code schema_version}: {@value #SCHEMA_VERSION};
 *   <li>{@code study}: {@code id}, {@code banks}, {@code as_of} (ISO-8601 instant);
 *   <li>{@code release}: {@code verdict} (PASS, WARN or FAIL: the worst article) and {@code
 *       blocked} (true on FAIL);
 *   <li>{@code articles}: per article {@code article} (number), {@code title_zh}, {@code title_en},
 *       {@code verdict} and {@code checks}: per check {@code id} (stable, e.g. {@code
 *       6.gender.disparate_impact}), {@code verdict}, {@code value}, {@code interval} ({@code low},
 *       {@code high}, or null), {@code rule}, {@code detail};
 *   <li>{@code policy}: {@code version}, {@code sha256} of the policy file;
 *   <li>{@code risk}: {@code tier}, {@code lifecycle_stage}, {@code reasons} (article 3);
 *   <li>{@code model}: {@code features}, {@code weights} (raw), {@code standardised_weights},
 *       {@code intercept} (standardised), {@code raw_intercept}, {@code means}, {@code stds},
 *       {@code winsorize};
 *   <li>{@code data_quality}: per bank {@code rows}, {@code features} ({@code feature}, {@code
 *       min}, {@code max}, {@code missing}, {@code out_of_range}), {@code missing_demographics};
 *   <li>{@code validation}: {@code accounts}, {@code positives}, {@code auc}, {@code auc_interval},
 *       {@code auc_binning_error}, {@code average_precision}, {@code alert_budget}, {@code
 *       recall_at_budget}, {@code recall_binning_error}, {@code threshold_at_budget}, {@code
 *       calibration} (per decile {@code low_score}, {@code high_score}, {@code accounts}, {@code
 *       mean_score}, {@code observed_rate}, {@code observed_interval}), {@code
 *       expected_calibration_error}, {@code roc} and {@code precision_recall} ([x, y] pairs),
 *       {@code score_distribution} ({@code normal}, {@code alert}: counts in equal bins over [0,
 *       1]);
 *   <li>{@code fairness}: {@code alert_threshold}, {@code cell_size_floor}, {@code
 *       confidence_level}, {@code attributes}: per attribute {@code attribute}, {@code groups} (per
 *       group {@code group}, {@code suppressed}, and unless suppressed {@code n}, {@code alerts},
 *       {@code positives}, {@code true_positives}, {@code alert_rate}, {@code tpr}, {@code fpr},
 *       {@code fdr}, each a rate {@code value}, {@code low}, {@code high}, {@code events}, {@code
 *       trials} or null), {@code disparities} ({@code metric}, {@code value}, {@code interval},
 *       {@code low_group}, {@code high_group}, {@code note});
 *   <li>{@code proxy_check}: {@code correlations} ({@code feature}, {@code attribute}, {@code
 *       group}, {@code r});
 *   <li>{@code explainability}: {@code accounts}, {@code intercept}, {@code features} ({@code
 *       feature}, {@code weight}, {@code standardised_weight}, {@code mean_abs_contribution},
 *       {@code reason_high_zh}, {@code reason_high_en}, {@code reason_low_zh}, {@code
 *       reason_low_en}), {@code per_decision_delivered_by};
 *   <li>{@code monitoring}: {@code psi} (per variable {@code variable}, {@code psi}, {@code bins}:
 *       {@code low}, {@code high}, {@code expected}, {@code actual}) and {@code alert_rate_drift}
 *       ({@code attribute}, {@code group}, {@code training_rate}, {@code later_rate}, {@code
 *       ratio}, {@code ratio_interval}, {@code change}), each null without a later window;
 *   <li>{@code security}: {@code trust_model}, {@code leakage_profile}, {@code mutual_tls}, {@code
 *       session_store_encryption}, {@code ca} and {@code certificates} ({@code party}, {@code
 *       subject}, {@code sha256}, {@code not_before}, {@code not_after}), {@code
 *       destruction_receipts} ({@code node}, {@code study}, {@code files}, {@code bytes}, {@code
 *       listing_sha256}, {@code destroyed_at}; null before the destroy step);
 *   <li>{@code transmission}: {@code traffic} ({@code party}, {@code phase}, {@code bytes_sent},
 *       {@code messages});
 *   <li>{@code records}: {@code log_entries}, {@code signed_checkpoints}, {@code chain_verified},
 *       {@code head_hash}, {@code log_head}, {@code model_provenance}.
 * </ul>
 */
public final class ReportJson {
  private ReportJson() {}

  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The report's JSON bytes (UTF-8). */
  public static byte[] bytes(GovernanceReport report) {
    try {
      return JSON.writeValueAsBytes(tree(report));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  static ObjectNode tree(GovernanceReport report) {
    Evidence e = report.evidence();
    Policy p = report.policy();
    ObjectNode root = JSON.createObjectNode();
    root.put("schema_version", SCHEMA_VERSION);
    ObjectNode study = root.putObject("study");
    study.put("id", e.study());
    strings(study.putArray("banks"), e.banks());
    study.put("as_of", e.asOf().toString());
    ObjectNode release = root.putObject("release");
    release.put("verdict", report.assessment().verdict().name());
    release.put("blocked", report.assessment().releaseBlocked());
    ArrayNode articles = root.putArray("articles");
    for (ArticleResult a : report.assessment().articles()) {
      articles.add(article(a));
    }
    ObjectNode policy = root.putObject("policy");
    policy.put("version", p.version());
    policy.put("sha256", p.sha256());
    ObjectNode risk = root.putObject("risk");
    risk.put("tier", Policy.label(p.risk().tier()));
    risk.put("lifecycle_stage", Policy.label(p.risk().lifecycleStage()));
    strings(risk.putArray("reasons"), p.risk().reasons());
    root.set("model", model(e.model()));
    root.set("data_quality", e.dataQuality() == null ? null : dataQuality(e));
    root.set("validation", e.validation() == null ? null : validation(e.validation()));
    root.set("fairness", e.fairness() == null ? null : fairness(e.fairness()));
    root.set("proxy_check", e.proxy() == null ? null : proxy(e.proxy()));
    root.set("explainability", e.explanation() == null ? null : explainability(e));
    root.set("monitoring", monitoring(e));
    root.set("security", e.security() == null ? null : security(e.security()));
    root.set("transmission", e.security() == null ? null : transmission(e.security()));
    root.set("records", e.records() == null ? null : records(e.records()));
    return root;
  }

  private static ObjectNode article(ArticleResult a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("article", a.article().number());
    n.put("title_zh", a.article().titleZh());
    n.put("title_en", a.article().titleEn());
    n.put("verdict", a.verdict().name());
    ArrayNode checks = n.putArray("checks");
    for (Check c : a.checks()) {
      ObjectNode cn = checks.addObject();
      cn.put("id", c.id());
      cn.put("verdict", c.verdict().name());
      number(cn, "value", c.value());
      interval(cn, "interval", c.interval());
      cn.put("rule", c.rule());
      cn.put("detail", c.detail());
    }
    return n;
  }

  private static ObjectNode model(LogisticModel m) {
    ObjectNode n = JSON.createObjectNode();
    strings(n.putArray("features"), m.features());
    numbers(n.putArray("weights"), m.rawWeights());
    numbers(n.putArray("standardised_weights"), m.weights());
    number(n, "intercept", m.intercept());
    number(n, "raw_intercept", m.rawIntercept());
    numbers(n.putArray("means"), m.means());
    numbers(n.putArray("stds"), m.stds());
    number(n, "winsorize", m.winsorize());
    return n;
  }

  private static ObjectNode dataQuality(Evidence e) {
    ObjectNode n = JSON.createObjectNode();
    e.dataQuality()
        .forEach(
            (bank, c) -> {
              ObjectNode b = n.putObject(bank);
              b.put("rows", c.rows());
              ArrayNode features = b.putArray("features");
              for (FeatureQuality f : c.features()) {
                ObjectNode fn = features.addObject();
                fn.put("feature", f.feature());
                number(fn, "min", f.range().min());
                number(fn, "max", f.range().max());
                fn.put("missing", f.missing());
                fn.put("out_of_range", f.outOfRange());
              }
              ObjectNode demographics = b.putObject("missing_demographics");
              c.missingDemographics().forEach(demographics::put);
            });
    return n;
  }

  private static ObjectNode validation(ValidationResult v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("accounts", v.accounts());
    n.put("positives", v.positives());
    number(n, "auc", v.auc().value());
    interval(n, "auc_interval", v.auc().interval());
    number(n, "auc_binning_error", v.aucBinningError());
    number(n, "average_precision", v.averagePrecision());
    number(n, "alert_budget", v.alertBudget());
    number(n, "recall_at_budget", v.recallAtBudget());
    number(n, "recall_binning_error", v.recallBinningError());
    number(n, "threshold_at_budget", v.thresholdAtBudget());
    ArrayNode calibration = n.putArray("calibration");
    for (CalibrationBin c : v.calibration()) {
      ObjectNode cn = calibration.addObject();
      number(cn, "low_score", c.lowScore());
      number(cn, "high_score", c.highScore());
      cn.put("accounts", c.accounts());
      number(cn, "mean_score", c.meanScore());
      number(cn, "observed_rate", c.observed().value());
      interval(cn, "observed_interval", c.observed().interval());
    }
    number(n, "expected_calibration_error", v.expectedCalibrationError());
    curve(n.putArray("roc"), v.roc());
    curve(n.putArray("precision_recall"), v.precisionRecall());
    ObjectNode distribution = n.putObject("score_distribution");
    counts(distribution.putArray("normal"), v.distribution().normal());
    counts(distribution.putArray("alert"), v.distribution().alert());
    return n;
  }

  private static ObjectNode fairness(FairnessResult f) {
    ObjectNode n = JSON.createObjectNode();
    number(n, "alert_threshold", f.alertThreshold());
    n.put("cell_size_floor", f.cellFloor());
    number(n, "confidence_level", f.confidenceLevel());
    ArrayNode attributes = n.putArray("attributes");
    for (AttributeFairness a : f.attributes()) {
      ObjectNode an = attributes.addObject();
      an.put("attribute", a.attribute());
      ArrayNode groups = an.putArray("groups");
      for (GroupMetrics g : a.groups()) {
        ObjectNode gn = groups.addObject();
        gn.put("group", g.group());
        gn.put("suppressed", g.suppressed());
        if (!g.suppressed()) {
          gn.put("n", g.counts().n());
          gn.put("alerts", g.counts().alerts());
          gn.put("positives", g.counts().positives());
          gn.put("true_positives", g.counts().truePositives());
          gn.set("alert_rate", rate(g.alertRate()));
          gn.set("tpr", rate(g.tpr()));
          gn.set("fpr", rate(g.fpr()));
          gn.set("fdr", rate(g.fdr()));
        }
      }
      ArrayNode disparities = an.putArray("disparities");
      for (Disparity d : a.disparities()) {
        ObjectNode dn = disparities.addObject();
        dn.put("metric", d.metric());
        number(dn, "value", d.estimate().value());
        interval(dn, "interval", d.estimate().interval());
        dn.put("low_group", d.lowGroup());
        dn.put("high_group", d.highGroup());
        dn.put("note", d.note());
      }
    }
    return n;
  }

  private static ObjectNode rate(Proportion p) {
    if (p == null) {
      return null;
    }
    ObjectNode n = JSON.createObjectNode();
    number(n, "value", p.value());
    number(n, "low", p.interval().low());
    number(n, "high", p.interval().high());
    n.put("events", p.events());
    n.put("trials", p.trials());
    return n;
  }

  private static ObjectNode proxy(ProxyCorrelations p) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode list = n.putArray("correlations");
    for (Correlation c : p.correlations()) {
      ObjectNode cn = list.addObject();
      cn.put("feature", c.feature());
      cn.put("attribute", c.attribute());
      cn.put("group", c.group());
      number(cn, "r", c.r());
    }
    return n;
  }

  private static ObjectNode explainability(Evidence e) {
    GlobalExplanation g = e.explanation();
    ObjectNode n = JSON.createObjectNode();
    n.put("accounts", g.accounts());
    number(n, "intercept", g.intercept());
    ArrayNode features = n.putArray("features");
    for (FeatureImportance f : g.features()) {
      ObjectNode fn = features.addObject();
      fn.put("feature", f.feature());
      number(fn, "weight", f.weight());
      number(fn, "standardised_weight", f.standardisedWeight());
      number(fn, "mean_abs_contribution", f.meanAbsContribution());
      ReasonText high = e.reasonTexts().reason(f.feature(), Direction.HIGH);
      ReasonText low = e.reasonTexts().reason(f.feature(), Direction.LOW);
      fn.put("reason_high_zh", high.zh());
      fn.put("reason_high_en", high.en());
      fn.put("reason_low_zh", low.zh());
      fn.put("reason_low_en", low.en());
    }
    if (e.explanationsDeliveredBy() == null) {
      n.putNull("per_decision_delivered_by");
    } else {
      strings(n.putArray("per_decision_delivered_by"), e.explanationsDeliveredBy());
    }
    return n;
  }

  private static ObjectNode monitoring(Evidence e) {
    ObjectNode n = JSON.createObjectNode();
    if (e.stability() == null) {
      n.putNull("psi");
    } else {
      ArrayNode psi = n.putArray("psi");
      for (VariableStability v : e.stability().variables()) {
        ObjectNode vn = psi.addObject();
        vn.put("variable", v.variable());
        number(vn, "psi", v.psi());
        ArrayNode bins = vn.putArray("bins");
        for (PsiBin b : v.bins()) {
          ObjectNode bn = bins.addObject();
          number(bn, "low", b.low());
          number(bn, "high", b.high());
          number(bn, "expected", b.expected());
          number(bn, "actual", b.actual());
        }
      }
    }
    if (e.alertRateDrift() == null) {
      n.putNull("alert_rate_drift");
    } else {
      ArrayNode drift = n.putArray("alert_rate_drift");
      for (GroupDrift g : e.alertRateDrift()) {
        ObjectNode gn = drift.addObject();
        gn.put("attribute", g.attribute());
        gn.put("group", g.group());
        number(gn, "training_rate", g.training().value());
        number(gn, "later_rate", g.later().value());
        number(gn, "ratio", g.ratio().value());
        interval(gn, "ratio_interval", g.ratio().interval());
        number(gn, "change", g.change());
      }
    }
    return n;
  }

  private static ObjectNode security(Evidence.Security s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("trust_model", s.trustModel());
    n.put("leakage_profile", s.leakageProfile());
    n.put("mutual_tls", s.mutualTls());
    n.put("session_store_encryption", s.sessionStoreEncryption());
    n.set("ca", certificate(s.ca(), false));
    ArrayNode certs = n.putArray("certificates");
    for (X509Certificate c : s.certificates()) {
      certs.add(certificate(c, true));
    }
    if (s.destructionReceipts() == null) {
      n.putNull("destruction_receipts");
    } else {
      ArrayNode receipts = n.putArray("destruction_receipts");
      for (DestructionReceipt r : s.destructionReceipts()) {
        ObjectNode rn = receipts.addObject();
        rn.put("node", r.node());
        rn.put("study", r.studyId());
        rn.put("files", r.files());
        rn.put("bytes", r.bytes());
        rn.put("listing_sha256", r.listingSha256());
        rn.put("destroyed_at", Instant.ofEpochMilli(r.destroyedAtMillis()).toString());
      }
    }
    return n;
  }

  private static ObjectNode certificate(X509Certificate c, boolean party) {
    if (c == null) {
      return null;
    }
    ObjectNode n = JSON.createObjectNode();
    if (party) {
      n.put("party", PartyIdentity.of(c).name());
    }
    n.put("subject", c.getSubjectX500Principal().getName());
    try {
      n.put("sha256", GovernanceReport.sha256(c.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException(
          "cannot encode certificate " + c.getSubjectX500Principal());
    }
    n.put("not_before", c.getNotBefore().toInstant().toString());
    n.put("not_after", c.getNotAfter().toInstant().toString());
    return n;
  }

  private static ObjectNode transmission(Evidence.Security s) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode traffic = n.putArray("traffic");
    for (Evidence.Traffic t : s.traffic()) {
      ObjectNode tn = traffic.addObject();
      tn.put("party", t.party());
      tn.put("phase", t.phase());
      tn.put("bytes_sent", t.bytesSent());
      tn.put("messages", t.messages());
    }
    return n;
  }

  private static ObjectNode records(Evidence.Records r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("log_entries", r.logEntries());
    n.put("signed_checkpoints", r.signedCheckpoints());
    n.put("chain_verified", r.chainVerified());
    n.put("head_hash", r.headHash());
    n.put("log_head", r.logHead());
    n.put("model_provenance", r.modelProvenance());
    return n;
  }

  private static void number(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, v);
    } else {
      n.putNull(key);
    }
  }

  private static void interval(ObjectNode n, String key, Interval i) {
    if (!i.isDefined()) {
      n.putNull(key);
      return;
    }
    ObjectNode in = n.putObject(key);
    number(in, "low", i.low());
    number(in, "high", i.high());
  }

  private static void numbers(ArrayNode a, double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        a.add(v);
      } else {
        a.addNull();
      }
    }
  }

  private static void counts(ArrayNode a, long[] values) {
    for (long v : values) {
      a.add(v);
    }
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static void curve(ArrayNode a, List<CurvePoint> points) {
    for (CurvePoint p : points) {
      ArrayNode pair = a.addArray();
      pair.add(p.x());
      pair.add(p.y());
    }
  }
}
