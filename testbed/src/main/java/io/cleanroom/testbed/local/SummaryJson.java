package io.cleanroom.testbed.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.PhaseSummary;
import io.cleanroom.protocol.wire.v1.ReportSummary;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a study's {@code summary.json} in the layout of the design's output contract. */
public final class SummaryJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  /** The summary as ordered maps, ready for JSON. */
  public static Map<String, Object> toMap(StudySummary s, String mode, double wallSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("study", s.getStudyId());
    m.put("banks", s.getParticipantsList());
    m.put("state", s.getState());
    if (!s.getAbortReason().isEmpty()) {
      m.put("abort_reason", s.getAbortReason());
    }
    m.put("mode", mode);
    m.put("wall_s", wallSeconds);
    List<Map<String, Object>> phases = new ArrayList<>();
    for (PhaseSummary p : s.getPhasesList()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.getName());
      pm.put("wall_s", p.getWallSeconds());
      pm.put("bytes_sent", new TreeMap<>(p.getBytesSentMap()));
      if (p.getPeakHeapBytesCount() > 0) {
        Map<String, Double> mb = new TreeMap<>();
        p.getPeakHeapBytesMap().forEach((k, v) -> mb.put(k, v / 1048576.0));
        pm.put("peak_heap_mb", mb);
      }
      if (p.getCountsCount() > 0) {
        pm.put("counts", new TreeMap<>(p.getCountsMap()));
      }
      phases.add(pm);
    }
    m.put("phases", phases);
    Map<String, Long> totals = new LinkedHashMap<>();
    for (Aggregate a : s.getTotalsList()) {
      totals.put(a.getName(), a.getValue());
    }
    m.put("totals", totals);
    if (s.hasReport()) {
      ReportSummary r = s.getReport();
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("name", r.getName());
      report.put("sha256", r.getSha256());
      report.put("verdict", r.getVerdict());
      Map<String, String> articles = new LinkedHashMap<>();
      new TreeMap<>(r.getArticlesMap()).forEach((k, v) -> articles.put(Integer.toString(k), v));
      report.put("articles", articles);
      report.put("release", r.getReleaseBlocked() ? "blocked" : "allowed");
      report.put("withheld", r.getWithheldList());
      report.put("failures", r.getFailuresList());
      m.put("report", report);
    }
    if (s.getLogEntries() > 0) {
      Map<String, Object> log = new LinkedHashMap<>();
      log.put("entries", s.getLogEntries());
      log.put("root", HexFormat.of().formatHex(s.getLogRoot().toByteArray()));
      log.put("key", s.getLogKeyFingerprint());
      m.put("log", log);
    }
    return m;
  }

  public static void write(Path file, Map<String, Object> summary) throws IOException {
    JSON.writeValue(file.toFile(), summary);
  }

  public static String render(Map<String, Object> summary) throws IOException {
    return JSON.writeValueAsString(summary);
  }
}
