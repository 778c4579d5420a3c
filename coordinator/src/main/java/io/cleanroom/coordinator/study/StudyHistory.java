package io.cleanroom.coordinator.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cleanroom.protocol.log.EntryKind;
import io.cleanroom.protocol.log.LogEntry;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study's history as its protocol log records it (the entries {@link StudyLog} writes): the plan,
 * who joined, the states the study went through, why it was aborted, who destroyed what.
 *
 * <p>{@link #of} also checks what the entries claim, beyond the hash chain and the checkpoints
 * (which {@link io.cleanroom.coordinator.log.LogVerifier} checks): the first entry is the plan and
 * its digest is the SHA-256 of the plan it carries; every join is by a participant, over that
 * digest, and its signature verifies with the certificate in the entry, which names that node (and
 * was issued by the consortium CA, when one is given); every destruction receipt verifies with the
 * certificate its node joined with; the states follow the task's lifecycle, an abort is followed by
 * ABORTED, and nothing but destruction receipts follows a final state.
 */
public final class StudyHistory {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, X509Certificate> joined = new LinkedHashMap<>();
  private final List<String> destroyedBy = new ArrayList<>();
  private String studyId;
  private String task;
  private List<String> participants = List.of();
  private byte[] planDigest;
  private StudyState state;
  private String abortReason;

  private StudyHistory() {}

  /**
   * Reads and checks the history in {@code entries}.
   *
   * @param ca the consortium CA certificate that must have issued the participants' certificates,
   *     or null not to check the issuer
   */
  public static StudyHistory of(List<LogEntry> entries, X509Certificate ca) {
    StudyHistory h = new StudyHistory();
    for (LogEntry e : entries) {
      String problem = h.read(e, ca);
      if (problem != null && h.problems.isEmpty()) {
        h.problems.add("entry " + e.index() + " (" + e.kind() + "): " + problem);
      }
    }
    if (entries.isEmpty()) {
      h.problems.add("the log has no entries");
    }
    return h;
  }

  /** What is wrong, if anything: the first entry whose content does not hold. */
  public List<String> problems() {
    return problems;
  }

  /** What could not be checked. */
  public List<String> warnings() {
    return warnings;
  }

  public String studyId() {
    return studyId;
  }

  public String task() {
    return task;
  }

  public List<String> participants() {
    return participants;
  }

  /** The participants whose signed join is logged, in order. */
  public List<String> joined() {
    return List.copyOf(joined.keySet());
  }

  /** The participants whose destruction receipt is logged, in order. */
  public List<String> destroyedBy() {
    return List.copyOf(destroyedBy);
  }

  /** The study's last logged state, or null if none is logged. */
  public StudyState state() {
    return state;
  }

  /** Why the study was aborted, or null. */
  public String abortReason() {
    return abortReason;
  }

  /** The states a successful study of this task goes through, or an empty list. */
  public List<StudyState> lifecycle() {
    return task == null ? List.of() : StudyState.path(task);
  }

  /** Reads one entry; returns what is wrong with it, or null. */
  private String read(LogEntry e, X509Certificate ca) {
    JsonNode body;
    try {
      body = JSON.readTree(e.body());
    } catch (JsonProcessingException ex) {
      return "body is not JSON: " + ex.getOriginalMessage();
    }
    if (e.index() == 0 && e.kind() != EntryKind.PLAN) {
      return "the first entry must be the plan";
    }
    if (state != null && state.isFinal() && e.kind() != EntryKind.DESTRUCTION) {
      return "after the final state " + state + " only destruction receipts may follow";
    }
    return switch (e.kind()) {
      case PLAN -> e.index() == 0 ? plan(e, body) : "a second plan";
      case JOIN -> join(body, ca);
      case DESTRUCTION -> destruction(e);
      case ABORT -> {
        abortReason = body.path("reason").asText();
        yield null;
      }
      case STATE -> state(body);
      case STEP_START, STEP_END, RELEASE, REPORT -> null;
    };
  }

  private String plan(LogEntry e, JsonNode body) {
    studyId = e.studyId();
    task = body.path("task").asText();
    List<String> names = new ArrayList<>();
    body.path("participants").forEach(p -> names.add(p.asText()));
    participants = List.copyOf(names);
    StudyPlan plan;
    try {
      plan = StudyPlan.parseFrom(Base64.getDecoder().decode(body.path("plan_protobuf").asText()));
    } catch (IllegalArgumentException | InvalidProtocolBufferException ex) {
      return "plan_protobuf is not a study plan: " + ex.getMessage();
    }
    planDigest = PlanDigest.of(plan);
    if (!HexFormat.of().formatHex(planDigest).equals(body.path("plan_sha256").asText())) {
      return "plan_sha256 is not the SHA-256 of the plan";
    }
    if (!plan.getStudyId().equals(studyId)
        || !plan.getTask().equals(task)
        || !plan.getParticipantsList().equals(participants)) {
      return "the plan's study, task or participants differ from the entry's";
    }
    try {
      StudyState.path(task);
    } catch (IllegalArgumentException ex) {
      return ex.getMessage();
    }
    return null;
  }

  private String join(JsonNode body, X509Certificate ca) {
    String node = body.path("node").asText();
    if (!participants.contains(node)) {
      return node + " is not a participant";
    }
    if (joined.containsKey(node)) {
      return node + " joined twice";
    }
    X509Certificate certificate;
    try {
      certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          Base64.getDecoder().decode(body.path("certificate").asText())));
      PartyIdentity identity = PartyIdentity.of(certificate);
      if (!identity.name().equals(node) || identity.role() != Role.NODE) {
        return "the certificate of " + node + "'s join is " + identity;
      }
      if (ca != null) {
        certificate.verify(ca.getPublicKey());
      }
    } catch (GeneralSecurityException | IllegalArgumentException ex) {
      return node
          + "'s certificate is unusable"
          + (ca == null ? "" : " or not issued by the CA")
          + ": "
          + ex.getMessage();
    }
    byte[] digest = HexFormat.of().parseHex(body.path("plan_sha256").asText());
    if (!MessageDigest.isEqual(digest, planDigest)) {
      return node + " signed another plan digest";
    }
    try {
      TlsMaterial.verify(
          certificate, digest, Base64.getDecoder().decode(body.path("signature").asText()));
    } catch (GeneralSecurityException | IllegalArgumentException ex) {
      return node + "'s signature over the plan does not verify: " + ex.getMessage();
    }
    joined.put(node, certificate);
    return null;
  }

  private String destruction(LogEntry e) {
    DestructionReceipt receipt;
    try {
      receipt = DestructionReceipt.fromJson(e.body());
    } catch (IllegalArgumentException ex) {
      return ex.getMessage();
    }
    if (!receipt.studyId().equals(studyId)) {
      return "receipt for study " + receipt.studyId();
    }
    X509Certificate certificate = joined.get(receipt.node());
    if (certificate == null) {
      warnings.add(
          "entry "
              + e.index()
              + ": the destruction receipt of "
              + receipt.node()
              + " is not checked: its join is not logged, so the log holds no certificate for it");
    } else {
      try {
        receipt.verify(certificate);
      } catch (GeneralSecurityException ex) {
        return ex.getMessage();
      }
    }
    destroyedBy.add(receipt.node());
    return null;
  }

  private String state(JsonNode body) {
    StudyState next;
    try {
      next = StudyState.valueOf(body.path("state").asText());
    } catch (IllegalArgumentException ex) {
      return "unknown state \"" + body.path("state").asText() + "\"";
    }
    boolean allowed = state == null ? next == StudyState.OPEN : state.canMoveTo(next, task);
    if (!allowed) {
      return "the study cannot move from " + state + " to " + next;
    }
    if (next == StudyState.ABORTED && abortReason == null) {
      return "ABORTED without a logged abort and reason";
    }
    if (next == StudyState.DESTROYED && !destroyedBy.containsAll(participants)) {
      List<String> missing = new ArrayList<>(participants);
      missing.removeAll(destroyedBy);
      return "DESTROYED without the destruction receipts of " + String.join(", ", missing);
    }
    state = next;
    return null;
  }

  /** One line describing {@code e}, for listing a log. */
  public static String describe(LogEntry e) {
    JsonNode b;
    try {
      b = JSON.readTree(e.body());
    } catch (JsonProcessingException ex) {
      return "(body is not JSON)";
    }
    return switch (e.kind()) {
      case PLAN ->
          b.path("task").asText()
              + ", participants "
              + join(b.path("participants"))
              + ", plan sha256 "
              + shortHex(b.path("plan_sha256").asText());
      case STATE -> b.path("state").asText();
      case JOIN -> b.path("node").asText() + " signed the plan";
      case STEP_START -> b.path("step").asText();
      case STEP_END -> stepEnd(b);
      case RELEASE -> release(b);
      case REPORT -> b.path("name").asText() + " sha256 " + shortHex(b.path("sha256").asText());
      case DESTRUCTION ->
          b.path("node").asText()
              + " destroyed "
              + b.path("files").asLong()
              + " files, "
              + b.path("bytes").asLong()
              + " bytes";
      case ABORT -> "in state " + b.path("state").asText() + ": " + b.path("reason").asText();
    };
  }

  private static String stepEnd(JsonNode b) {
    StringBuilder s =
        new StringBuilder(b.path("step").asText())
            .append(String.format(Locale.ROOT, " %.2f s", b.path("wall_s").asDouble()));
    Iterator<Map.Entry<String, JsonNode>> parties = b.path("parties").fields();
    while (parties.hasNext()) {
      Map.Entry<String, JsonNode> p = parties.next();
      s.append("; ").append(p.getKey()).append(' ');
      s.append(p.getValue().path("bytes_sent").asLong()).append(" B");
      Iterator<Map.Entry<String, JsonNode>> digests = p.getValue().path("sent_sha256").fields();
      while (digests.hasNext()) {
        Map.Entry<String, JsonNode> d = digests.next();
        s.append(", to ").append(d.getKey()).append(' ').append(shortHex(d.getValue().asText()));
      }
    }
    return s.toString();
  }

  private static String release(JsonNode b) {
    if (b.has("outputs")) {
      List<String> files = new ArrayList<>();
      b.path("outputs").forEach(o -> files.add(o.path("path").asText()));
      return "to "
          + b.path("to").asText()
          + ": "
          + (files.isEmpty() ? "nothing" : String.join(", ", files));
    }
    return b.path("output").asText() + " (" + join(b.path("names")) + ") to " + join(b.path("to"));
  }

  private static String join(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(n.asText()));
    return String.join(", ", items);
  }

  private static String shortHex(String hex) {
    return hex.length() > 16 ? hex.substring(0, 16) + "…" : hex;
  }

  /** The time of {@code e}, ISO-8601 UTC. */
  public static String time(LogEntry e) {
    return Instant.ofEpochMilli(e.timestampMillis()).toString();
  }
}
