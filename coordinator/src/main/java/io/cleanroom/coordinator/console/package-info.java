/**
 * The coordinator's read-only web console and its Prometheus metrics, served on a port of their own
 * by the JDK's HTTP server (see docs/console.md).
 */
package io.cleanroom.coordinator.console;
