/**
 * The ring Z_2^64 on {@code long[]} vectors: Java's two's-complement {@code long} arithmetic is
 * exactly arithmetic modulo 2^64, so addition and multiplication need no reduction.
 */
package io.cleanroom.protocol.ring;
