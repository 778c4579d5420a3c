package io.cleanroom.coordinator.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cleanroom.coordinator.log.LogCheckpoints;
import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.coordinator.session.NodeSession;
import io.cleanroom.coordinator.session.NodeSessions;
import io.cleanroom.coordinator.study.LogCheck;
import io.cleanroom.coordinator.study.StudyBoard;
import io.cleanroom.coordinator.study.StudyDriver;
import io.cleanroom.coordinator.study.StudyHistory;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.wire.v1.PhaseSummary;
import io.cleanroom.protocol.wire.v1.ReportSummary;
import io.cleanroom.protocol.wire.v1.StudySummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the console shows, as JSON: the coordinator's and the connected nodes' identities, the
 * studies on the {@link StudyBoard}, and, from the coordinator's records of a study, its protocol
 * log (checkpoints, entries, destruction receipts), a verification of that log and its governance
 * report.
 *
 * <p>A study is named by its id; ids that could name anything but a folder directly under the
 * records are refused before any file is touched.
 */
public final class ConsoleData {

  /** Entries listed per log; the verification always reads them all. */
  static final int MAX_LISTED_ENTRIES = 1000;

  private static final Pattern STUDY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final String name;
  private final StudyBoard board;
  private final NodeSessions sessions;
  private final Path records;
  private final LogPublicKey logKey;
  private final X509Certificate certificate;
  private final X509Certificate ca;
  private final Instant started = Instant.now();

  /**
   * @param name the coordinator's name
   * @param board its studies
   * @param sessions its connected nodes
   * @param records the folder of its study records ({@code <records>/<study>/log}, {@code report/})
   * @param logKey the public key of its protocol logs, against which logs are verified
   * @param certificate its certificate
   * @param ca the consortium CA certificate, which must have issued the nodes' certificates
   */
  public ConsoleData(
      String name,
      StudyBoard board,
      NodeSessions sessions,
      Path records,
      LogPublicKey logKey,
      X509Certificate certificate,
      X509Certificate ca) {
    this.name = name;
    this.board = board;
    this.sessions = sessions;
    this.records = records.toAbsolutePath().normalize();
    this.logKey = logKey;
    this.certificate = certificate;
    this.ca = ca;
  }

  StudyBoard board() {
    return board;
  }

  NodeSessions sessions() {
    return sessions;
  }

  /** Whether {@code id} can be a study id (and so names a folder directly under the records). */
  static boolean validStudyId(String id) {
    return STUDY_ID.matcher(id).matches() && !id.contains("..");
  }

  /** SHA-256 of the DER encoding of {@code cert}, lower-case hex. */
  static String fingerprint(X509Certificate cert) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
    }
  }

  /** {@code /api/participants}. */
  String participantsJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode coordinator = root.putObject("coordinator");
    coordinator.put("name", name);
    coordinator.put("role", "coordinator");
    coordinator.put("certificate_sha256", fingerprint(certificate));
    coordinator.put("certificate_subject", certificate.getSubjectX500Principal().getName());
    coordinator.put("certificate_not_after", certificate.getNotAfter().toInstant().toString());
    coordinator.put("log_key_fingerprint", logKey.fingerprint());
    coordinator.put("ca_sha256", fingerprint(ca));
    coordinator.put("started", started.toString());
    ArrayNode nodes = root.putArray("nodes");
    for (NodeSession s : sessions.connected()) {
      ObjectNode n = nodes.addObject();
      n.put("name", s.name());
      n.put("role", role(s.certificate()));
      n.put("certificate_sha256", fingerprint(s.certificate()));
      n.put("certificate_not_after", s.certificate().getNotAfter().toInstant().toString());
      n.put("connected_since", s.opened().toString());
    }
    return write(root);
  }

  private static String role(X509Certificate cert) {
    try {
      return PartyIdentity.of(cert).role().name().toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "unknown";
    }
  }

  /** {@code /api/studies}: every study on the board, newest first. */
  String studiesJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode studies = root.putArray("studies");
    List<StudyBoard.StudyView> views = board.studies();
    for (int i = views.size() - 1; i >= 0; i--) {
      studies.add(study(views.get(i), false));
    }
    return write(root);
  }

  /** {@code /api/studies/{id}}: the study on the board, or what its records say. */
  Optional<String> studyJson(String id) {
    Optional<StudyBoard.StudyView> view = board.study(id);
    if (view.isPresent()) {
      return Optional.of(write(study(view.get(), true)));
    }
    if (!Files.isDirectory(logDir(id))) {
      return Optional.empty();
    }
    // Not on the board (ended long ago, or before a restart): what its log says.
    ObjectNode s = JSON.createObjectNode();
    s.put("id", id);
    s.put("on_board", false);
    try {
      StudyHistory h = StudyHistory.of(LogEntries.read(logDir(id)), ca);
      s.put("task", h.task());
      ArrayNode p = s.putArray("participants");
      h.participants().forEach(p::add);
      s.put("state", h.state() == null ? "" : h.state().name());
      s.put("ended", h.state() != null && h.state().isFinal());
      if (h.abortReason() != null) {
        s.put("abort_reason", h.abortReason());
      }
    } catch (IOException | LogException e) {
      s.put("state", "");
      s.put("problem", e.getMessage());
    }
    s.put("has_report", Files.isRegularFile(reportDir(id).resolve("report.html")));
    return Optional.of(write(s));
  }

  private ObjectNode study(StudyBoard.StudyView v, boolean detail) {
    ObjectNode s = JSON.createObjectNode();
    s.put("id", v.id());
    s.put("on_board", true);
    s.put("task", v.task());
    ArrayNode participants = s.putArray("participants");
    v.participants().forEach(participants::add);
    s.put("state", v.state());
    s.put("phase", v.phase());
    s.put("message", v.message());
    s.put("started", v.started().toString());
    s.put("updated", v.updated().toString());
    s.put("ended", v.ended());
    Instant end = v.ended() ? v.updated() : Instant.now();
    s.put("seconds", seconds(v.started(), end));
    Map<String, PhaseSummary> summaries = new HashMap<>();
    v.summary().ifPresent(sum -> sum.getPhasesList().forEach(p -> summaries.put(p.getName(), p)));
    ArrayNode phases = s.putArray("phases");
    for (StudyBoard.PhaseView p : v.phases()) {
      ObjectNode o = phases.addObject();
      o.put("name", p.name());
      o.put("progress", p.progress());
      o.put("started", p.started().toString());
      if (p.ended() != null) {
        o.put("ended", p.ended().toString());
      }
      PhaseSummary sum = summaries.get(p.name());
      if (sum != null) {
        o.put("wall_seconds", sum.getWallSeconds());
        o.put("bytes_sent", sum.getBytesSentMap().values().stream().mapToLong(x -> x).sum());
      } else {
        o.put("seconds", seconds(p.started(), p.ended() == null ? end : p.ended()));
      }
    }
    if (detail && v.summary().isPresent()) {
      s.set("summary", summary(v.summary().get()));
    }
    if (v.summary().isPresent() && v.summary().get().hasReport()) {
      s.put("verdict", v.summary().get().getReport().getVerdict());
    }
    if (v.summary().isPresent() && !v.summary().get().getAbortReason().isEmpty()) {
      s.put("abort_reason", v.summary().get().getAbortReason());
    }
    if (detail) {
      s.put("has_report", Files.isRegularFile(reportDir(v.id()).resolve("report.html")));
    }
    return s;
  }

  private static ObjectNode summary(StudySummary sum) {
    ObjectNode o = JSON.createObjectNode();
    o.put("state", sum.getState());
    if (!sum.getAbortReason().isEmpty()) {
      o.put("abort_reason", sum.getAbortReason());
    }
    ArrayNode phases = o.putArray("phases");
    for (PhaseSummary p : sum.getPhasesList()) {
      ObjectNode ph = phases.addObject();
      ph.put("name", p.getName());
      ph.put("wall_seconds", p.getWallSeconds());
      ObjectNode bytes = ph.putObject("bytes_sent");
      new TreeMap<>(p.getBytesSentMap()).forEach(bytes::put);
      ObjectNode counts = ph.putObject("counts");
      new TreeMap<>(p.getCountsMap()).forEach(counts::put);
      ObjectNode heap = ph.putObject("peak_heap_bytes");
      new TreeMap<>(p.getPeakHeapBytesMap()).forEach(heap::put);
    }
    ObjectNode log = o.putObject("log");
    log.put("entries", sum.getLogEntries());
    log.put("root", HexFormat.of().formatHex(sum.getLogRoot().toByteArray()));
    log.put("key_fingerprint", sum.getLogKeyFingerprint());
    if (sum.hasReport()) {
      ReportSummary r = sum.getReport();
      ObjectNode report = o.putObject("report");
      report.put("name", r.getName());
      report.put("sha256", r.getSha256());
      report.put("verdict", r.getVerdict());
      ObjectNode articles = report.putObject("articles");
      new TreeMap<>(r.getArticlesMap()).forEach((k, val) -> articles.put(Integer.toString(k), val));
      report.put("release_blocked", r.getReleaseBlocked());
      ArrayNode failures = report.putArray("failures");
      r.getFailuresList().forEach(failures::add);
      ArrayNode withheld = report.putArray("withheld");
      r.getWithheldList().forEach(withheld::add);
    }
    return o;
  }

  /**
   * {@code /api/studies/{id}/log}: the log's checkpoints, its latest entries and the destruction
   * receipts it holds, each checked against the certificate its node joined with.
   */
  Optional<String> logJson(String id) throws IOException {
    Path dir = logDir(id);
    if (!Files.isDirectory(dir)) {
      return board.study(id).isPresent() ? Optional.of(emptyLog(id)) : Optional.empty();
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("study", id);
    root.put("key_fingerprint", logKey.fingerprint());
    List<LogEntry> entries;
    try {
      entries = LogEntries.read(dir);
      List<Checkpoint> checkpoints = LogCheckpoints.read(dir);
      ArrayNode cps = root.putArray("checkpoints");
      for (Checkpoint c : checkpoints) {
        ObjectNode o = cps.addObject();
        o.put("tree_size", c.treeSize());
        o.put("root", HEX.formatHex(c.rootHash()));
        o.put("key_fingerprint", c.keyFingerprint());
        o.put("time", Instant.ofEpochMilli(c.timestampMillis()).toString());
        o.put("signature_valid", c.signatureValid(logKey));
      }
    } catch (LogException e) {
      root.put("problem", e.getMessage());
      return Optional.of(write(root));
    }
    root.put("entries", entries.size());
    ArrayNode listed = root.putArray("latest_entries");
    for (int i = Math.max(0, entries.size() - MAX_LISTED_ENTRIES); i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      ObjectNode o = listed.addObject();
      o.put("index", e.index());
      o.put("time", StudyHistory.time(e));
      o.put("kind", e.kind().name());
      o.put("what", StudyHistory.describe(e));
    }
    root.set("receipts", receipts(entries));
    return Optional.of(write(root));
  }

  private String emptyLog(String id) {
    ObjectNode root = JSON.createObjectNode();
    root.put("study", id);
    root.put("key_fingerprint", logKey.fingerprint());
    root.putArray("checkpoints");
    root.put("entries", 0);
    root.putArray("latest_entries");
    root.putArray("receipts");
    return write(root);
  }

  /** The destruction receipts in {@code entries}, each verified with its node's join. */
  private ArrayNode receipts(List<LogEntry> entries) {
    Map<String, X509Certificate> joined = new HashMap<>();
    ArrayNode out = JSON.createArrayNode();
    for (LogEntry e : entries) {
      if (e.kind() == EntryKind.JOIN) {
        joinedCertificate(e).ifPresent(c -> joined.put(c.getKey(), c.getValue()));
      } else if (e.kind() == EntryKind.DESTRUCTION) {
        ObjectNode o = out.addObject();
        o.put("entry", e.index());
        DestructionReceipt r;
        try {
          r = DestructionReceipt.fromJson(e.body());
        } catch (IllegalArgumentException ex) {
          o.put("verified", false);
          o.put("problem", ex.getMessage());
          continue;
        }
        o.put("node", r.node());
        o.put("files", r.files());
        o.put("bytes", r.bytes());
        o.put("listing_sha256", r.listingSha256());
        o.put("destroyed_at", Instant.ofEpochMilli(r.destroyedAtMillis()).toString());
        X509Certificate cert = joined.get(r.node());
        if (cert == null) {
          o.put("verified", false);
          o.put("problem", "no logged join of " + r.node() + ", so no certificate to check with");
          continue;
        }
        o.put("certificate_sha256", fingerprint(cert));
        try {
          cert.verify(ca.getPublicKey());
          r.verify(cert);
          o.put("verified", true);
        } catch (GeneralSecurityException ex) {
          o.put("verified", false);
          o.put("problem", "signature does not verify: " + ex.getMessage());
        }
      }
    }
    return out;
  }

  /** The node and certificate of a JOIN entry, if readable. */
  private static Optional<Map.Entry<String, X509Certificate>> joinedCertificate(LogEntry e) {
    try {
      JsonNode body = JSON.readTree(e.body());
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          Base64.getDecoder().decode(body.path("certificate").asText())));
      String node = body.path("node").asText();
      if (!PartyIdentity.of(cert).name().equals(node)) {
        return Optional.empty();
      }
      return Optional.of(Map.entry(node, cert));
    } catch (JsonProcessingException | GeneralSecurityException | IllegalArgumentException ex) {
      return Optional.empty();
    }
  }

  /**
   * {@code /api/studies/{id}/verify}: the checks of {@code cleanroom log verify}, with this
   * coordinator's log key pinned and the consortium CA as the participants' issuer.
   */
  Optional<String> verifyJson(String id) {
    Path dir = logDir(id);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("study", id);
    LogVerifier.Result result;
    synchronized (this) { // one verification at a time: it reads the whole log
      LogCheck check = LogCheck.of(dir, logKey, ca);
      result = check.log();
      ArrayNode problems = root.putArray("problems");
      ArrayNode warnings = root.putArray("warnings");
      check.problems().forEach(problems::add);
      result.warnings().forEach(warnings::add);
      root.put("entries", result.entries());
      root.put("checkpoints", result.checkpoints());
      root.put("root", HEX.formatHex(result.rootHash()));
      root.put("key_fingerprint", logKey.fingerprint());
      StudyHistory h = check.history();
      if (h != null) {
        root.put("state", h.state() == null ? "" : h.state().name());
        ArrayNode joins = root.putArray("joins");
        h.joined().forEach(joins::add);
        ArrayNode receipts = root.putArray("receipts");
        h.destroyedBy().forEach(receipts::add);
        h.warnings().forEach(warnings::add);
      }
      root.put("ok", check.ok());
      root.put("verdict", check.ok() ? "OK" : "FAILED");
      // The records folder is the coordinator host's business, not the reader's.
      root.put("summary", result.summary().replace(records.toString(), "<records>"));
    }
    return Optional.of(write(root));
  }

  /** The bytes of the study's governance report file {@code name}, if written. */
  Optional<byte[]> reportFile(String id, String name) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(reportDir(id).resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private Path studyDir(String id) {
    if (!validStudyId(id)) {
      throw new IllegalArgumentException("not a study id: " + id);
    }
    Path dir = records.resolve(id).normalize();
    if (!dir.getParent().equals(records)) {
      throw new IllegalArgumentException("not a study id: " + id);
    }
    return dir;
  }

  private Path logDir(String id) {
    return studyDir(id).resolve(StudyDriver.LOG_DIR);
  }

  private Path reportDir(String id) {
    return studyDir(id).resolve(StudyDriver.GOVERNANCE_DIR);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
