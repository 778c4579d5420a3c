package io.cleanroom.protocol.linkage;

import java.util.List;

/**
 * The coordinator's outcome of linkage.
 *
 * @param graph the joint graph
 * @param views each participant's view, in party order
 * @param clusters identity clusters of two or more accounts (connected components of the identity
 *     edges), as sorted handles, largest first
 * @param unmatchedCounterparts cross-bank edge ends whose account is at no participant
 */
public record LinkageResult(
    JointGraph graph, List<NodeView> views, List<int[]> clusters, long unmatchedCounterparts) {}
