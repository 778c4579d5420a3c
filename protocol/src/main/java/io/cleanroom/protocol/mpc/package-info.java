/**
 * The secret-shared arithmetic engine: fixed-point numbers in Z_2^64 held as additive shares among
 * the bank nodes, and vectorised protocols over them (Beaver multiplication, truncation,
 * comparison, sigmoid, sparse matrix–vector products) built on the dealer's correlated randomness.
 * Every protocol states what each party learns.
 */
package io.cleanroom.protocol.mpc;
