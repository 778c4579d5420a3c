/**
 * The tamper-evident protocol log: what the coordinator did in a study, in an order nobody can
 * rewrite unnoticed.
 *
 * <p>Each {@link io.cleanroom.protocol.log.LogEntry} carries the SHA-256 of its predecessor's
 * canonical encoding (a hash chain) and is a leaf of an append-only Merkle tree hashed exactly as
 * RFC 9162 (Certificate Transparency version 2.0) §2.1 ({@link
 * io.cleanroom.protocol.log.MerkleTree}), which also generates and verifies inclusion proofs
 * (§2.1.3) and consistency proofs (§2.1.4). The coordinator periodically signs the tree head with
 * an Ed25519 key ({@link io.cleanroom.protocol.log.Checkpoint}, in the spirit of the RFC 9162
 * signed tree head and the C2SP checkpoint note). A bank node keeps a {@link
 * io.cleanroom.protocol.log.CheckpointVerifier} per study and accepts a new checkpoint only with a
 * consistency proof from the last one it accepted, so the coordinator cannot later present a
 * different history than the one the node saw.
 *
 * <p>This package is a pure library: it reads and writes no files, opens no sockets and starts no
 * threads. The durable log itself lives in the coordinator.
 */
package io.cleanroom.protocol.log;
