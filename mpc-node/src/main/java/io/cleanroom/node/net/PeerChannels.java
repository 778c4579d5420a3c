package io.cleanroom.node.net;

import io.cleanroom.protocol.config.Endpoint;
import io.cleanroom.protocol.pki.MutualTls;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.cleanroom.protocol.pki.Role;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One mutually authenticated channel per peer node, opened on first use and kept for the node's
 * lifetime. Each channel accepts only a server certificate issued by the consortium CA to exactly
 * that peer's name with the node role.
 */
public final class PeerChannels implements AutoCloseable {

  private final TlsMaterial tls;
  private final Function<String, Endpoint> addresses;
  private final ClientInterceptor[] interceptors;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /**
   * @param interceptors applied to every call to a peer, e.g. transcripts of what peers answer
   */
  public PeerChannels(
      TlsMaterial tls, Function<String, Endpoint> addresses, ClientInterceptor... interceptors) {
    this.tls = tls;
    this.addresses = addresses;
    this.interceptors = interceptors.clone();
  }

  /** The channel to {@code peer}. */
  public ManagedChannel channel(String peer) {
    return channels.computeIfAbsent(
        peer,
        p -> {
          Endpoint address = addresses.apply(p);
          if (address == null) {
            throw new IllegalArgumentException("no address configured for peer " + p);
          }
          try {
            return Grpc.newChannelBuilder(
                    address.target(),
                    MutualTls.channelCredentials(tls, new PartyIdentity(p, Role.NODE)))
                .overrideAuthority(p)
                .intercept(interceptors)
                .maxInboundMessageSize(4 << 20)
                .build();
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS towards " + p, e);
          }
        });
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel c : channels.values()) {
      c.shutdown();
    }
    for (ManagedChannel c : channels.values()) {
      if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    }
  }
}
