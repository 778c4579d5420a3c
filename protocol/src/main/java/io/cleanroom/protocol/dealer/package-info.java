/**
 * The dealer of correlated randomness (Beaver 1991, "Efficient multiparty protocols using circuit
 * randomization"): the coordinator, trusted not to collude with any bank, prepares random values
 * with a known relation and hands each node additive shares of them. It never receives anything
 * that depends on data.
 */
package io.cleanroom.protocol.dealer;
