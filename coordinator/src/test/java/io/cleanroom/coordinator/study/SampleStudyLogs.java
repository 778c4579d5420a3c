package io.cleanroom.coordinator.study;

import io.cleanroom.protocol.log.LogSigningKey;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.PlanDigest;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the protocol log of a whole study the way {@link StudyDriver} does (plan, signed joins,
 * every state of the task's lifecycle, signed destruction receipts, checkpoints), for tests of what
 * reads logs.
 */
public final class SampleStudyLogs {
  private SampleStudyLogs() {}

  /**
   * Writes the log of a study of {@code plan} that every node in {@code nodes} joined and then
   * destroyed, in {@code dir}.
   */
  public static void destroyed(Path dir, StudyPlan plan, List<TlsMaterial> nodes, LogSigningKey key)
      throws Exception {
    byte[] digest = PlanDigest.of(plan);
    try (StudyLog log = StudyLog.create(dir, plan, PlanDigest.canonicalBytes(plan), digest, key)) {
      for (TlsMaterial node : nodes) {
        log.joined(node.self().name(), digest, node.sign(digest), node.certificate());
      }
      log.checkpoint();
      for (StudyState s : StudyState.path(plan.getTask())) {
        if (s == StudyState.OPEN) {
          continue;
        }
        if (s == StudyState.DESTROYED) {
          for (TlsMaterial node : nodes) {
            log.destroyed(
                new DestructionReceipt.Unsigned(
                        plan.getStudyId(), 3, 4096, "ab".repeat(32), 1_700_000_000_000L)
                    .sign(node));
          }
        }
        log.moveTo(s);
        log.checkpoint();
      }
    }
  }
}
