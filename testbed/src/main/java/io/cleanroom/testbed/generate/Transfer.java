package io.cleanroom.testbed.generate;

/**
 * One planted transfer between two global account indices.
 *
 * @param second seconds since the start of the transaction window
 * @param from global index of the paying account
 * @param to global index of the receiving account
 * @param cents amount in cents, positive
 */
record Transfer(int second, int from, int to, long cents) {}
