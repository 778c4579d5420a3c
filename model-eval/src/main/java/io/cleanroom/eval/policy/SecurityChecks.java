package io.cleanroom.eval.policy;

import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.store.DestructionReceipt;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of articles 5 (security, destruction), 8 (transmission, encryption) and 10 (records).
 */
final class SecurityChecks {

  private final Policy policy;
  private final Evidence evidence;

  SecurityChecks(Policy policy, Evidence evidence) {
    this.policy = policy;
    this.evidence = evidence;
  }

  List<Check> article5() {
    Evidence.Security s = evidence.security();
    if (s == null) {
      return List.of(Check.missing("5.security", "security evidence"));
    }
    List<Check> out = new ArrayList<>();
    out.add(statement("5.trust_model", "trust model", s.trustModel()));
    out.add(statement("5.leakage_profile", "leakage profile", s.leakageProfile()));
    out.add(certificates(s));
    out.add(destruction(s));
    return out;
  }

  private static Check statement(String id, String what, String text) {
    boolean given = text != null && !text.isBlank();
    return Check.of(
        id,
        given ? Verdict.PASS : Verdict.FAIL,
        "stated in the report",
        given ? what + " stated (" + text.strip().lines().count() + " lines)" : "no " + what);
  }

  private Check certificates(Evidence.Security s) {
    String id = "5.certificates";
    String rule = "every bank and the coordinator has a certificate from the CA, valid at the time";
    if (!policy.security().mutualTlsRequired()) {
      return Check.of(id, Verdict.PASS, "not required by the policy", "not checked");
    }
    if (s.ca() == null) {
      return Check.of(id, Verdict.FAIL, rule, "no consortium CA certificate");
    }
    List<String> problems = new ArrayList<>();
    List<String> parties = new ArrayList<>(evidence.banks());
    parties.add(ConsortiumPki.COORDINATOR);
    for (String party : parties) {
      X509Certificate cert = certificate(s, party);
      if (cert == null) {
        problems.add(party + ": no certificate");
        continue;
      }
      try {
        cert.verify(s.ca().getPublicKey());
        cert.checkValidity(Date.from(evidence.asOf()));
      } catch (GeneralSecurityException e) {
        problems.add(party + ": " + e.getMessage());
      }
    }
    return problems.isEmpty()
        ? Check.of(id, Verdict.PASS, rule, parties.size() + " certificates verified")
        : Check.of(id, Verdict.FAIL, rule, String.join("; ", problems));
  }

  private static X509Certificate certificate(Evidence.Security s, String party) {
    for (X509Certificate c : s.certificates()) {
      if (PartyIdentity.of(c).name().equals(party)) {
        return c;
      }
    }
    return null;
  }

  private Check destruction(Evidence.Security s) {
    String id = "5.destruction";
    String rule = "a verified destruction receipt from every bank";
    if (!policy.destruction().required()) {
      return Check.of(id, Verdict.PASS, "not required by the policy", "not checked");
    }
    if (s.destructionReceipts() == null) {
      return Check.of(
          id, Verdict.WARN, rule, "pending: the study has not reached its destroy step");
    }
    List<String> problems = new ArrayList<>();
    for (String bank : evidence.banks()) {
      String problem = receiptProblem(s, bank);
      if (problem != null) {
        problems.add(bank + ": " + problem);
      }
    }
    int banks = evidence.banks().size();
    return problems.isEmpty()
        ? Check.of(id, Verdict.PASS, rule, banks + " of " + banks + " receipts verified")
        : Check.of(id, Verdict.FAIL, rule, String.join("; ", problems));
  }

  private String receiptProblem(Evidence.Security s, String bank) {
    X509Certificate cert = certificate(s, bank);
    for (DestructionReceipt r : s.destructionReceipts()) {
      if (!r.node().equals(bank)) {
        continue;
      }
      if (!r.studyId().equals(evidence.study())) {
        return "receipt is for study " + r.studyId();
      }
      if (cert == null) {
        return "no certificate to verify the receipt";
      }
      try {
        r.verify(cert);
        return null;
      } catch (GeneralSecurityException e) {
        return "receipt does not verify: " + e.getMessage();
      }
    }
    return "no receipt";
  }

  List<Check> article8() {
    Evidence.Security s = evidence.security();
    if (s == null) {
      return List.of(Check.missing("8.security", "security evidence"));
    }
    List<Check> out = new ArrayList<>();
    Map<String, Long> perParty = new LinkedHashMap<>();
    for (Evidence.Traffic t : s.traffic()) {
      perParty.merge(t.party(), t.bytesSent(), Long::sum);
    }
    List<String> parts = new ArrayList<>();
    perParty.forEach((party, bytes) -> parts.add(party + " " + bytes));
    out.add(
        Check.of(
            "8.traffic",
            perParty.isEmpty() ? Verdict.FAIL : Verdict.PASS,
            "bytes sent per party recorded",
            perParty.isEmpty()
                ? "no record of what crossed the wire"
                : "bytes sent: " + String.join(", ", parts)));
    if (policy.security().mutualTlsRequired()) {
      out.add(
          Check.of(
              "8.encryption_in_transit",
              s.mutualTls() ? Verdict.PASS : Verdict.FAIL,
              "every channel over mutual TLS",
              s.mutualTls() ? "gRPC over mutual TLS" : "a channel ran without mutual TLS"));
    }
    if (policy.security().sessionStoreEncryptionRequired()) {
      String enc = s.sessionStoreEncryption();
      boolean ok = enc != null && !enc.isBlank();
      out.add(
          Check.of(
              "8.session_store",
              ok ? Verdict.PASS : Verdict.FAIL,
              "session stores encrypted at rest",
              ok ? "encrypted with " + enc : "session stores are not encrypted"));
    }
    return out;
  }

  List<Check> article10() {
    Evidence.Records r = evidence.records();
    if (r == null) {
      return List.of(Check.missing("10.records", "protocol log and provenance"));
    }
    List<Check> out = new ArrayList<>();
    boolean logOk = r.chainVerified() && r.logEntries() > 0;
    out.add(
        Check.of(
            "10.protocol_log",
            logOk ? Verdict.PASS : Verdict.FAIL,
            "hash-chained protocol log verifies",
            r.logEntries()
                + " entries, "
                + (r.chainVerified() ? "verified" : "NOT verified")
                + ", head "
                + r.headHash()));
    if (policy.records().signedCheckpointsRequired()) {
      out.add(
          Check.of(
              "10.signed_checkpoints",
              r.signedCheckpoints() > 0 ? Verdict.PASS : Verdict.FAIL,
              "at least one signed checkpoint",
              r.signedCheckpoints() + " signed checkpoints"));
    }
    if (policy.records().modelProvenanceRequired()) {
      boolean ok = r.modelProvenance() != null && !r.modelProvenance().isBlank();
      out.add(
          Check.of(
              "10.model_provenance",
              ok ? Verdict.PASS : Verdict.FAIL,
              "model provenance recorded",
              ok ? "provenance recorded" : "no model provenance"));
    }
    return out;
  }
}
