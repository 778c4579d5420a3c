package io.cleanroom.node.linkage;

import io.cleanroom.protocol.linkage.JointGraph;

/**
 * What a bank holds after linkage: the joint graph, the handle of each of its accounts (by account
 * index), and the handle of the other side of each of its cross-bank flows (−1 when that account is
 * at no participant). Only this bank can map its handles back to its accounts.
 */
public record LinkedGraph(
    JointGraph graph,
    int[] handleOfAccount,
    int[] outgoingCounterparts,
    int[] incomingCounterparts) {}
