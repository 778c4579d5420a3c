package io.cleanroom.coordinator.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cleanroom.coordinator.log.ProtocolLog;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.wire.v1.Aggregate;
import io.cleanroom.protocol.wire.v1.OpenedVector;
import io.cleanroom.protocol.wire.v1.ReleasedOutput;
import io.cleanroom.protocol.wire.v1.ReportSummary;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One study's protocol log as the coordinator writes it: a {@link ProtocolLog} with one entry per
 * event, and the study's {@link StudyState lifecycle state}, which changes only through a logged
 * {@link EntryKind#STATE} entry. Entry bodies are JSON objects:
 *
 * <ul>
 *   <li>PLAN: the plan's fields, {@code plan_sha256} (what every participant signs), {@code
 *       plan_protobuf} (base64 of the deterministic serialisation the digest is over), the task's
 *       {@code lifecycle} and the fingerprint of the key that signs the checkpoints;
 *   <li>JOIN: {@code node}, {@code plan_sha256}, {@code signature} (base64 SHA256withECDSA over the
 *       plan digest) and {@code certificate} (base64 DER) that it verifies against;
 *   <li>STEP_START and STEP_END: {@code step}, {@code phase}; at the end the wall time, and per
 *       node its {@code bytes_sent} and {@code sent_sha256} per receiving node (digests, never
 *       contents), and the coordinator's bytes sent;
 *   <li>RELEASE: either the totals a phase opened ({@code names}, {@code sha256} of the values,
 *       {@code to}) or the files kept by one party ({@code to}, {@code outputs} with path, bytes
 *       and {@code sha256});
 *   <li>REPORT: {@code name} and {@code sha256} of the report;
 *   <li>DESTRUCTION: a node's signed destruction receipt, as {@link DestructionReceipt#toJson()};
 *   <li>ABORT: {@code reason} and the {@code state} the study was in;
 *   <li>STATE: the new {@code state}.
 * </ul>
 *
 * <p>Every append is forced to disk before it returns ({@link ProtocolLog#append}). Used by one
 * study driver thread at a time.
 */
final class StudyLog implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProtocolLog log;
  private final StudyPlan plan;
  private StudyState state;

  private StudyLog(ProtocolLog log, StudyPlan plan) {
    this.log = log;
    this.plan = plan;
  }

  /**
   * Creates the log of {@code plan}'s study in {@code dir} and logs the plan; the study is then
   * OPEN.
   *
   * @param planBytes the plan's deterministic serialisation, whose SHA-256 is {@code planDigest}
   * @throws java.nio.file.FileAlreadyExistsException if {@code dir} holds a log already: a study id
   *     is used once
   */
  static StudyLog create(
      Path dir, StudyPlan plan, byte[] planBytes, byte[] planDigest, LogSigningKey key)
      throws IOException, LogException {
    StudyLog s = new StudyLog(ProtocolLog.create(dir, plan.getStudyId(), key), plan);
    try {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("study", plan.getStudyId());
      body.put("task", plan.getTask());
      body.put("participants", plan.getParticipantsList());
      body.put("parameters", new TreeMap<>(plan.getParametersMap()));
      body.put("timeout_seconds", plan.getTimeoutSeconds());
      body.put("fraction_bits", plan.getFractionBits());
      body.put("plan_sha256", hex(planDigest));
      body.put("plan_protobuf", Base64.getEncoder().encodeToString(planBytes));
      body.put("lifecycle", StudyState.path(plan.getTask()).stream().map(Enum::name).toList());
      body.put("log_key", key.publicKey().fingerprint());
      s.append(EntryKind.PLAN, body);
      s.moveTo(StudyState.OPEN);
      return s;
    } catch (IOException | RuntimeException e) {
      s.closeAfter(e);
      throw e;
    }
  }

  /**
   * Reopens the log of a study that was still running when the coordinator stopped, to close it
   * ({@link #aborted}); {@code history} is what the log's entries say so far.
   *
   * @throws LogException if the log is damaged or was signed with another key
   */
  static StudyLog reopen(Path dir, StudyHistory history, LogSigningKey key)
      throws IOException, LogException {
    StudyPlan plan =
        StudyPlan.newBuilder()
            .setStudyId(history.studyId())
            .setTask(history.task())
            .addAllParticipants(history.participants())
            .build();
    StudyLog s = new StudyLog(ProtocolLog.open(dir, key), plan);
    s.state = history.state();
    return s;
  }

  /** Logs a participant's join: its signature over the plan digest and its certificate. */
  void joined(String node, byte[] planDigest, byte[] signature, X509Certificate certificate)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("node", node);
    body.put("plan_sha256", hex(planDigest));
    body.put("signature", Base64.getEncoder().encodeToString(signature));
    try {
      body.put("certificate", Base64.getEncoder().encodeToString(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the certificate of " + node, e);
    }
    append(EntryKind.JOIN, body);
  }

  /** Logs the start of a step. */
  void stepStarted(String step, String phase) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("step", step);
    body.put("phase", phase);
    append(EntryKind.STEP_START, body);
  }

  /**
   * Logs the end of a step with what each node reported it sent, and moves the study to the state
   * the phase reaches, if any.
   */
  void stepEnded(
      String step,
      String phase,
      double wallSeconds,
      Map<String, StepReport> reports,
      long coordinatorBytes)
      throws IOException {
    Map<String, Object> parties = new LinkedHashMap<>();
    reports.forEach(
        (node, r) -> {
          Map<String, Object> sent = new LinkedHashMap<>();
          sent.put("bytes_sent", r.getBytesSent());
          Map<String, String> digests = new TreeMap<>();
          r.getSentSha256Map().forEach((to, d) -> digests.put(to, hex(d.toByteArray())));
          sent.put("sent_sha256", digests);
          parties.put(node, sent);
        });
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("step", step);
    body.put("phase", phase);
    body.put("wall_s", wallSeconds);
    body.put("parties", parties);
    body.put("coordinator_bytes_sent", coordinatorBytes);
    append(EntryKind.STEP_END, body);
    StudyState reached = StudyState.reachedBy(phase).orElse(null);
    if (reached != null) {
      moveTo(reached);
    }
  }

  /**
   * Logs that the totals {@code totals}, opened in phase {@code phase}, reached {@code to}: the
   * names and the SHA-256 of the values (each as 8 bytes, big-endian, in order).
   */
  void releasedTotals(String phase, List<Aggregate> totals, List<String> to) throws IOException {
    ByteBuffer values = ByteBuffer.allocate(totals.size() * Long.BYTES);
    List<String> names = new ArrayList<>();
    for (Aggregate a : totals) {
      names.add(a.getName());
      values.putLong(a.getValue());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("output", "opened totals of phase " + phase);
    body.put("names", names);
    body.put("sha256", hex(sha256(values.array())));
    body.put("to", to);
    append(EntryKind.RELEASE, body);
  }

  /**
   * Logs that the vectors {@code vectors}, opened in phase {@code phase}, reached {@code to}: their
   * names and lengths, and the SHA-256 of all their values (each as 8 bytes, big-endian, in order).
   */
  void releasedVectors(String phase, List<OpenedVector> vectors, List<String> to)
      throws IOException {
    int n = vectors.stream().mapToInt(OpenedVector::getValuesCount).sum();
    ByteBuffer values = ByteBuffer.allocate(n * Long.BYTES);
    List<String> names = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    for (OpenedVector v : vectors) {
      names.add(v.getName());
      lengths.add(v.getValuesCount());
      v.getValuesList().forEach(values::putLong);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("output", "opened vectors of phase " + phase);
    body.put("names", names);
    body.put("lengths", lengths);
    body.put("sha256", hex(sha256(values.array())));
    body.put("to", to);
    append(EntryKind.RELEASE, body);
  }

  /** Logs the files party {@code to} keeps from the study. */
  void releasedFiles(String to, List<ReleasedOutput> outputs) throws IOException {
    List<Map<String, Object>> files = new ArrayList<>();
    for (ReleasedOutput o : outputs) {
      Map<String, Object> file = new LinkedHashMap<>();
      file.put("path", o.getPath());
      file.put("sha256", hex(o.getSha256().toByteArray()));
      files.add(file);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("to", to);
    body.put("outputs", files);
    append(EntryKind.RELEASE, body);
  }

  /**
   * Logs the study's report, named {@code name}, by its SHA-256, and moves the study to REPORTED:
   * the coordinator's summary of a study without a model.
   */
  void reported(String name, byte[] sha256) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("sha256", hex(sha256));
    append(EntryKind.REPORT, body);
    moveTo(StudyState.REPORTED);
  }

  /**
   * Logs the study's governance report, named {@code name}, by its SHA-256 with its verdicts: the
   * overall verdict, each article's, whether the model's release is blocked and the output folders
   * withheld; moves the study to REPORTED.
   */
  void reported(String name, byte[] sha256, ReportSummary verdicts) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("sha256", hex(sha256));
    body.put("verdict", verdicts.getVerdict());
    body.put("articles", new TreeMap<>(verdicts.getArticlesMap()));
    body.put("release", verdicts.getReleaseBlocked() ? "blocked" : "allowed");
    body.put("withheld", verdicts.getWithheldList());
    body.put("failures", verdicts.getFailuresList());
    append(EntryKind.REPORT, body);
    moveTo(StudyState.REPORTED);
  }

  /** Logs a node's verified destruction receipt. */
  void destroyed(DestructionReceipt receipt) throws IOException {
    log.append(EntryKind.DESTRUCTION, plan.getStudyId(), receipt.toJson());
  }

  /** Logs the abort and its reason, and moves the study to ABORTED. */
  void aborted(String reason) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("reason", reason);
    body.put("state", state.name());
    append(EntryKind.ABORT, body);
    moveTo(StudyState.ABORTED);
  }

  /**
   * Logs the study's move to {@code next}.
   *
   * @throws IllegalStateException if the task's lifecycle does not allow it
   */
  void moveTo(StudyState next) throws IOException {
    if (state == null ? next != StudyState.OPEN : !state.canMoveTo(next, plan.getTask())) {
      throw new IllegalStateException(
          "study " + plan.getStudyId() + " cannot move from " + state + " to " + next);
    }
    append(EntryKind.STATE, Map.of("state", next.name()));
    state = next;
  }

  /** Signs the log's current head; returns it with the consistency proof for the nodes. */
  CheckpointUpdate checkpoint() throws IOException {
    return log.checkpoint();
  }

  StudyState state() {
    return state;
  }

  /** The number of entries. */
  long size() {
    return log.size();
  }

  /** The Merkle root of the last checkpoint, or of all entries if there is none. */
  byte[] checkpointRoot() {
    return log.lastCheckpoint().map(Checkpoint::rootHash).orElseGet(log::rootHash);
  }

  LogPublicKey key() {
    return log.publicKey();
  }

  @Override
  public void close() throws IOException {
    log.close();
  }

  private void closeAfter(Exception failure) {
    try {
      log.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private void append(EntryKind kind, Map<String, ?> body) throws IOException {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a " + kind + " entry as JSON", e);
    }
    log.append(kind, plan.getStudyId(), json);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
