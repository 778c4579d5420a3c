/**
 * The consortium PKI and the mutual-TLS plumbing every Cleanroom channel runs on.
 *
 * <p>One consortium CA ({@link io.cleanroom.protocol.pki.ConsortiumPki}) issues one certificate per
 * party. A certificate's subject carries the party's name as CN and its {@link
 * io.cleanroom.protocol.pki.Role} as OU: {@code node} for a bank node taking part in studies,
 * {@code coordinator} for the third party that orchestrates studies, {@code operator} for the
 * people and tools that submit studies to the coordinator. Every gRPC channel requires TLS with
 * client authentication against that CA only ({@link io.cleanroom.protocol.pki.MutualTls}): a
 * server says which roles may call it, a client says exactly which party it expects to reach.
 *
 * <p>Identity comes only from certificates. A handler learns who is calling from {@link
 * io.cleanroom.protocol.pki.PeerIdentityInterceptor#current()}, which is derived from the verified
 * TLS peer certificate; a name or role written inside a message is never trusted.
 */
package io.cleanroom.protocol.pki;
