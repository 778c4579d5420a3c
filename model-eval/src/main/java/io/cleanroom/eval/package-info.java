/**
 * Governance evaluation of a jointly trained fraud model: fairness, explainability, validation,
 * monitoring and data-quality evaluators whose per-bank numbers can be summed on secret shares.
 */
package io.cleanroom.eval;
