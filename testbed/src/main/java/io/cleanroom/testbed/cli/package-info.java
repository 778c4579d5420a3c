/** The {@code ./cleanroom} command line: one entry point for every role and tool. */
package io.cleanroom.testbed.cli;
