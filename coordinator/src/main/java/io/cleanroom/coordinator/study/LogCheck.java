package io.cleanroom.coordinator.study;

import io.cleanroom.coordinator.log.LogEntries;
import io.cleanroom.coordinator.log.LogVerifier;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.log.LogPublicKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole check of a study's protocol log, as {@code ./cleanroom log verify} and the console's
 * Verify button run it: the records, hash chain and signed checkpoints ({@link LogVerifier}), then,
 * if those hold, what the entries claim ({@link StudyHistory}: the plan, the signed joins, the
 * lifecycle, the destruction receipts).
 *
 * @param log the verifier's result
 * @param history what the entries say, or null when the log itself did not verify
 * @param problems every problem found, the verifier's first
 */
public record LogCheck(LogVerifier.Result log, StudyHistory history, List<String> problems) {

  /**
   * Checks the log in {@code dir}.
   *
   * @param pinned the coordinator's published log key, or null to use the one stored in {@code dir}
   * @param ca the consortium CA that must have issued the participants' certificates, or null not
   *     to check the issuer
   */
  public static LogCheck of(Path dir, LogPublicKey pinned, X509Certificate ca) {
    LogVerifier.Result log = LogVerifier.verify(dir, pinned);
    List<String> problems = new ArrayList<>(log.problems());
    StudyHistory history = null;
    if (log.ok()) {
      try {
        history = StudyHistory.of(LogEntries.read(dir), ca);
        problems.addAll(history.problems());
      } catch (IOException | LogException e) {
        problems.add(e.getMessage());
      }
    }
    return new LogCheck(log, history, List.copyOf(problems));
  }

  /** Whether the log and its history hold. */
  public boolean ok() {
    return problems.isEmpty();
  }
}
