/**
 * The coordinator's durable protocol log: one append-only, tamper-evident log per study.
 *
 * <p>{@link io.cleanroom.coordinator.log.ProtocolLog} appends {@link
 * io.cleanroom.protocol.log.LogEntry entries} to a directory, each forced to disk before it is
 * acknowledged and chained to its predecessor by hash; the entries are the leaves of an RFC 9162
 * (Certificate Transparency version 2.0) §2.1 Merkle tree, whose head the coordinator signs as
 * {@link io.cleanroom.protocol.log.Checkpoint checkpoints} with the Ed25519 key kept by {@link
 * io.cleanroom.coordinator.log.LogKeys}. Each checkpoint goes to the bank nodes with an RFC 9162
 * §2.1.4 consistency proof from the previous one. {@link io.cleanroom.coordinator.log.LogVerifier}
 * checks a log directory offline and names the first entry or checkpoint that was altered, removed,
 * reordered, inserted or forged.
 */
package io.cleanroom.coordinator.log;
