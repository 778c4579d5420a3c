/**
 * The node's side of a study: the control session with the coordinator (open, join, steps, abort,
 * close) and the execution of each phase on this bank's data.
 */
package io.cleanroom.node.study;
