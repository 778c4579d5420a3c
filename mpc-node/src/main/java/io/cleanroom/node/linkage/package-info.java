/**
 * The bank's side of double-blind linkage: derive the consortium key with the other banks, blind
 * this bank's identifiers and cross-bank account numbers, upload them to the coordinator with the
 * bank's edges (no amounts), and receive the joint graph over handles.
 */
package io.cleanroom.node.linkage;
