/**
 * The impartial third party's coordinator: it orchestrates studies among the bank nodes over
 * mutually authenticated control sessions, and serves operators. It never receives data, shares or
 * openings: only signatures over plans, per-phase byte counts and the totals the banks agreed to
 * open.
 */
package io.cleanroom.coordinator;
