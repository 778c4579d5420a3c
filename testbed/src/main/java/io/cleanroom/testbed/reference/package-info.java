/**
 * Plaintext references for checking secure results. Only the testbed pools banks' data, and only to
 * compare: the same formulas computed in the clear on the same files, and detection metrics against
 * a dataset's ground truth.
 */
package io.cleanroom.testbed.reference;
