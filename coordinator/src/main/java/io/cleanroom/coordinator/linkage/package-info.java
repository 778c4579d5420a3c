/**
 * The coordinator's side of double-blind linkage: receives each node's blinded values, blinds them
 * again with a per-study key of its own, matches them and serves each node its view of the joint
 * graph.
 */
package io.cleanroom.coordinator.linkage;
