/** Secure aggregation: totals over all banks, opened without revealing any bank's contribution. */
package io.cleanroom.protocol.aggregate;
