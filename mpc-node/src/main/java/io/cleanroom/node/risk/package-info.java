/**
 * Linked-account risk (警示帳戶聯防) on secret shares: each receiving bank computes its flow and identity
 * weights locally, the weights and the alert/grey seeds are secret-shared, the propagation iterates
 * on shares, and each bank receives the risk of its own accounts only.
 */
package io.cleanroom.node.risk;
