/**
 * The node's side of the node-to-node network: the {@code PeerExchange} service that receives
 * batches into a study's inbox, and the gRPC transport that streams this node's batches to its
 * peers. Both run over mutual TLS; a peer's name always comes from its certificate.
 */
package io.cleanroom.node.net;
