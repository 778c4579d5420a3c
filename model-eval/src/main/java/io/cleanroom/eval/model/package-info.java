/**
 * The joint fraud model as data and as a Tribuo model: {@link
 * io.cleanroom.eval.model.LogisticModel} (feature names, standardisation, weights), its training
 * parameters, the feature rows a bank trains on, and {@link
 * io.cleanroom.eval.model.PlaintextLogisticTrainer}, the plaintext twin of the secure training that
 * the testbed runs on pooled rows to check that the secure model equals it.
 */
package io.cleanroom.eval.model;
