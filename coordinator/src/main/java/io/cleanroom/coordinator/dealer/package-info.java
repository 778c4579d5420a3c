/**
 * The coordinator as dealer: per study, a {@link io.cleanroom.protocol.dealer.Dealer} over a fresh
 * secret seed, served to the study's nodes as a flow-controlled stream of their shares.
 */
package io.cleanroom.coordinator.dealer;
