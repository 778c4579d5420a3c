package io.cleanroom.node.study;

import com.google.protobuf.ByteString;
import io.cleanroom.node.net.GrpcTransport;
import io.cleanroom.node.store.SessionStore;
import io.cleanroom.node.store.WorkFolder;
import io.cleanroom.protocol.log.Checkpoint;
import io.cleanroom.protocol.log.CheckpointUpdate;
import io.cleanroom.protocol.log.CheckpointVerifier;
import io.cleanroom.protocol.log.LogException;
import io.cleanroom.protocol.store.DestructionReceipt;
import io.cleanroom.protocol.study.Progress;
import io.cleanroom.protocol.study.StudyState;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.protocol.wire.v1.LogCheckpoint;
import io.cleanroom.protocol.wire.v1.ReleasedOutput;
import io.cleanroom.protocol.wire.v1.StepReport;
import io.cleanroom.protocol.wire.v1.StudyPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * What this node holds of one study, and its lifecycle to DESTROYED ({@link StudyState}): the
 * study's computation ({@link NodeStudy}), its {@link SessionStore}, its staged outputs, and the
 * last checkpoint of the coordinator's protocol log that it accepted.
 *
 * <p>Phases run one at a time and only in the task's order ({@link Tasks#phases}); the release step
 * only after the last phase, and destruction only after the release. A checkpoint is accepted only
 * if it extends the accepted one (RFC 9162 consistency proof), so the coordinator cannot show this
 * node one history and keep another. {@link #discard} ends an aborted study: it waits for the
 * running phase to stop, deletes the staged outputs (nothing of an aborted study is kept) and
 * destroys the session store.
 */
final class StudyCustody {

  private static final System.Logger LOG = System.getLogger(StudyCustody.class.getName());

  private final StudyPlan plan;
  private final NodeStudy study;
  private final SessionStore store;
  private final WorkFolder work;
  private final CheckpointVerifier checkpoints;
  private final List<String> phases;
  private int phasesDone;
  private StudyState state = StudyState.OPEN;
  private boolean released;
  private boolean ended;

  StudyCustody(
      StudyPlan plan,
      NodeStudy study,
      SessionStore store,
      WorkFolder work,
      CheckpointVerifier checkpoints) {
    this.plan = plan;
    this.study = study;
    this.store = store;
    this.work = work;
    this.checkpoints = checkpoints;
    this.phases = Tasks.phases(plan.getTask());
  }

  GrpcTransport transport() {
    return study.transport();
  }

  /**
   * Runs phase {@code phase}, which must be the task's next one; {@code progress} hears how far a
   * long phase is.
   *
   * @throws IllegalStateException if it is not, or the study has ended
   */
  synchronized StepReport runPhase(String phase, Progress progress) throws Exception {
    checkRunning();
    if (phasesDone == phases.size() || !phases.get(phasesDone).equals(phase)) {
      throw new IllegalStateException(
          "the coordinator started phase "
              + phase
              + ", but the next phase of task "
              + plan.getTask()
              + " is "
              + (phasesDone == phases.size() ? "none" : phases.get(phasesDone)));
    }
    StepReport report = study.run(phase, progress);
    phasesDone++;
    StudyState.reachedBy(phase).ifPresent(s -> state = s);
    return report;
  }

  /**
   * Moves the staged outputs to where the bank keeps them and reports each file with its SHA-256,
   * never its size (the size of risk/&lt;bank&gt;.csv would give the bank's grey-list count). The
   * top-level output folders named in {@code withheld} (the coordinator names them when the study's
   * governance report blocks the model's release) are deleted instead.
   *
   * @throws IllegalStateException before the last phase has ended, or a second time
   */
  synchronized StepReport release(List<String> withheld) throws IOException {
    checkRunning();
    if (phasesDone < phases.size() || released) {
      throw new IllegalStateException(
          released
              ? "outputs already released"
              : "release before the last phase (" + phasesDone + " of " + phases.size() + " done)");
    }
    released = true;
    state = StudyState.REPORTED;
    StepReport.Builder report =
        StepReport.newBuilder().setPhase(StudyState.RELEASE_STEP).setDone(true).setProgress(1);
    for (Path file : work.withhold(plan.getStudyId(), withheld)) {
      LOG.log(
          System.Logger.Level.INFO,
          "study " + plan.getStudyId() + ": " + file + " withheld by the governance report");
    }
    Path folder = work.outputs(plan.getStudyId());
    for (Path file : work.release(plan.getStudyId())) {
      Path path = folder.resolve(file);
      report.addReleased(
          ReleasedOutput.newBuilder()
              .setPath(file.toString().replace(file.getFileSystem().getSeparator(), "/"))
              .setSha256(ByteString.copyFrom(sha256(path))));
    }
    return report.build();
  }

  /**
   * Destroys the session store at the study's successful end.
   *
   * @throws IllegalStateException before the outputs are released
   */
  synchronized DestructionReceipt.Unsigned destroy() throws IOException {
    checkRunning();
    if (!released) {
      throw new IllegalStateException("destroy before the outputs are released");
    }
    ended = true;
    DestructionReceipt.Unsigned receipt = store.destroy();
    state = StudyState.DESTROYED;
    return receipt;
  }

  /** Stops the protocol of an aborted study: whatever it waits for fails with {@code reason}. */
  void cancel(String reason) {
    study.transport().inbox().stop(reason);
    study.transport().cancel(reason);
  }

  /**
   * Ends an aborted study once its running phase has stopped: deletes its staged outputs and
   * destroys its session store.
   *
   * @return the destruction's counts, or null if the study had ended already
   */
  synchronized DestructionReceipt.Unsigned discard() throws IOException {
    if (ended) {
      return null;
    }
    ended = true;
    state = StudyState.ABORTED;
    try {
      work.discard(plan.getStudyId());
    } catch (IOException e) {
      // The staged outputs are the bank's own; failing to delete them does not stop destruction.
      LOG.log(
          System.Logger.Level.ERROR,
          "study " + plan.getStudyId() + ": cannot delete the unreleased outputs",
          e);
    }
    return store.destroy();
  }

  /**
   * Accepts a checkpoint of the study's protocol log.
   *
   * @throws LogException if it is not signed by the coordinator's log key, is of another study, or
   *     is not consistent with the last accepted one
   */
  void accept(LogCheckpoint m) throws LogException {
    CheckpointUpdate update;
    try {
      update =
          new CheckpointUpdate(
              Checkpoint.decode(m.getCheckpoint().toByteArray()),
              m.getPreviousSize(),
              m.getConsistencyProofList().stream().map(ByteString::toByteArray).toList());
    } catch (IllegalArgumentException e) {
      throw new LogException("malformed checkpoint: " + e.getMessage(), e);
    }
    checkpoints.accept(update);
  }

  synchronized StudyState state() {
    return state;
  }

  private void checkRunning() {
    if (ended) {
      throw new IllegalStateException("study " + plan.getStudyId() + " has ended (" + state + ")");
    }
  }

  private static byte[] sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }
}
