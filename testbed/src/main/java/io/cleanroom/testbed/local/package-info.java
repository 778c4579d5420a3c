/**
 * The local testbed: a consortium PKI in a temporary folder, one coordinator and one node per bank
 * on loopback (separate JVM processes, or threads of this JVM through the same gRPC and TLS code),
 * a study run through the operator interface, and the outputs collected. Every party is stopped
 * when the study ends, fails, or the user presses Ctrl-C.
 */
package io.cleanroom.testbed.local;
