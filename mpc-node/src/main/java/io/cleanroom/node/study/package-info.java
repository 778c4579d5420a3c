/**
 * The node's side of a study: the control session with the coordinator (open, join, checkpoints,
 * steps, release, destroy, abort, close), what the node holds of each study until it is destroyed,
 * and the execution of each phase on this bank's data.
 */
package io.cleanroom.node.study;
