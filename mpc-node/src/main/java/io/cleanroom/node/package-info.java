/**
 * A bank's node: serves the node-to-node exchange over mutual TLS, keeps a control session with the
 * coordinator, and runs its side of each study on its own data. Plaintext customer data never
 * leaves this process; what leaves is uniformly random shares, openings of agreed totals, and
 * digests.
 */
package io.cleanroom.node;
