/** The coordinator's control sessions with the bank nodes. */
package io.cleanroom.coordinator.session;
