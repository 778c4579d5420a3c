package io.cleanroom.protocol.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A new checkpoint together with the RFC 9162 §2.1.4 consistency proof from the log's previous
 * checkpoint (of size {@link #previousSize()}), as the coordinator hands it to the bank nodes. For
 * the first checkpoint of a log the previous size is 0 and the proof is empty.
 */
public final class CheckpointUpdate {
  private final Checkpoint checkpoint;
  private final long previousSize;
  private final List<byte[]> consistencyProof;

  /**
   * An update.
   *
   * @throws IllegalArgumentException if {@code previousSize} is not in [0, checkpoint size] or a
   *     proof hash is not 32 bytes
   */
  public CheckpointUpdate(Checkpoint checkpoint, long previousSize, List<byte[]> consistencyProof) {
    if (previousSize < 0 || previousSize > checkpoint.treeSize()) {
      throw new IllegalArgumentException(
          "previous size " + previousSize + " is not in [0, " + checkpoint.treeSize() + "]");
    }
    List<byte[]> copy = new ArrayList<>(consistencyProof.size());
    for (byte[] hash : consistencyProof) {
      if (hash == null || hash.length != MerkleTree.HASH_SIZE) {
        throw new IllegalArgumentException(
            "consistency proof hashes must be " + MerkleTree.HASH_SIZE + " bytes");
      }
      copy.add(hash.clone());
    }
    this.checkpoint = checkpoint;
    this.previousSize = previousSize;
    this.consistencyProof = Collections.unmodifiableList(copy);
  }

  /** The new checkpoint. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The size of the checkpoint the proof starts from. */
  public long previousSize() {
    return previousSize;
  }

  /** {@code PROOF(previousSize, D[checkpoint size])}; do not modify the arrays. */
  public List<byte[]> consistencyProof() {
    return consistencyProof;
  }

  @Override
  public String toString() {
    return "CheckpointUpdate["
        + checkpoint
        + ", from size "
        + previousSize
        + ", "
        + consistencyProof.size()
        + " proof hashes]";
  }
}
