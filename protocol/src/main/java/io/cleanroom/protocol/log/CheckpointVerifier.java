package io.cleanroom.protocol.log;

import java.util.List;
import java.util.Optional;

/**
 * What a bank node keeps about one study's protocol log: the last checkpoint it accepted from the
 * coordinator. Each new checkpoint must be signed by the coordinator's log key, be for the same
 * study, not be smaller than the accepted one, and come with an RFC 9162 §2.1.4 consistency proof
 * showing that the log only grew: nothing the node already saw was changed, removed or reordered.
 * The first checkpoint needs no proof.
 *
 * <p>A refused checkpoint leaves the accepted one in place. Thread-safe.
 */
public final class CheckpointVerifier {
  private final LogPublicKey key;
  private final String studyId;
  private Checkpoint accepted;

  /**
   * A verifier for study {@code studyId}'s log, signed by {@code coordinatorKey}.
   *
   * @throws IllegalArgumentException if the study id is unusable
   */
  public CheckpointVerifier(LogPublicKey coordinatorKey, String studyId) {
    if (coordinatorKey == null) {
      throw new IllegalArgumentException("coordinator log key is missing");
    }
    LogEntry.studyIdBytes(studyId);
    this.key = coordinatorKey;
    this.studyId = studyId;
  }

  /**
   * Accepts {@code update}: its proof must start at the size of the last accepted checkpoint.
   *
   * @throws LogException naming the sizes and what failed
   */
  public synchronized void accept(CheckpointUpdate update) throws LogException {
    if (accepted != null && update.previousSize() != accepted.treeSize()) {
      throw new LogException(
          "checkpoint of size "
              + update.checkpoint().treeSize()
              + ": its consistency proof starts at size "
              + update.previousSize()
              + " but the last accepted checkpoint has size "
              + accepted.treeSize());
    }
    accept(update.checkpoint(), update.consistencyProof());
  }

  /**
   * Accepts {@code checkpoint} if {@code consistencyProof} proves it extends the last accepted
   * checkpoint ({@code PROOF(accepted size, D[new size])}); for the first checkpoint the proof is
   * ignored and may be empty or null.
   *
   * @throws LogException naming the sizes and what failed: another study, another key, an invalid
   *     signature, a shrinking size, or a failing consistency proof
   */
  public synchronized void accept(Checkpoint checkpoint, List<byte[]> consistencyProof)
      throws LogException {
    long size = checkpoint.treeSize();
    if (!studyId.equals(checkpoint.studyId())) {
      throw new LogException(
          "checkpoint of size "
              + size
              + " is for study \""
              + checkpoint.studyId()
              + "\", expected \""
              + studyId
              + "\"");
    }
    checkpoint.checkSignature(key);
    if (accepted == null) {
      accepted = checkpoint;
      return;
    }
    long acceptedSize = accepted.treeSize();
    if (size < acceptedSize) {
      throw new LogException(
          "checkpoint of size "
              + size
              + " is smaller than the accepted checkpoint of size "
              + acceptedSize
              + ": the log shrank");
    }
    try {
      MerkleTree.checkConsistency(
          acceptedSize,
          size,
          accepted.rootHash(),
          checkpoint.rootHash(),
          consistencyProof == null ? List.of() : consistencyProof);
    } catch (LogException e) {
      throw new LogException(
          "checkpoint of size "
              + size
              + " is not consistent with the accepted checkpoint of size "
              + acceptedSize
              + ": "
              + e.getMessage(),
          e);
    }
    accepted = checkpoint;
  }

  /** The last accepted checkpoint, if any. */
  public synchronized Optional<Checkpoint> accepted() {
    return Optional.ofNullable(accepted);
  }

  /** The study this verifier is for. */
  public String studyId() {
    return studyId;
  }

  /** The coordinator's log key. */
  public LogPublicKey key() {
    return key;
  }
}
