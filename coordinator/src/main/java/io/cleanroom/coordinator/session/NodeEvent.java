package io.cleanroom.coordinator.session;

import io.cleanroom.protocol.wire.v1.NodeMessage;

/**
 * Something a node said about a study, or the loss of its session.
 *
 * @param node the node, by its certificate name
 * @param message what it sent, or null when its session was lost
 * @param wireBytes the message's size on the wire
 * @param lostReason why the session was lost, when {@code message} is null
 */
public record NodeEvent(String node, NodeMessage message, long wireBytes, String lostReason) {}
