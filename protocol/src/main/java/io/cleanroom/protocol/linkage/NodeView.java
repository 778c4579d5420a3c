package io.cleanroom.protocol.linkage;

/**
 * What one bank receives from linkage: the joint graph, the handle of each of its own accounts (by
 * its upload label), and for each edge it uploaded the handle of the other side (−1 for a
 * cross-bank counterparty that is not an account of any participant).
 */
public record NodeView(JointGraph graph, int[] ownHandles, int[] edgeCounterparts) {}
