/**
 * What the parties of a study agree on: the plan, its digest, the names of the tasks and their
 * phases, and the lifecycle of a study.
 */
package io.cleanroom.protocol.study;
