package io.cleanroom.protocol.pki;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Makes the caller's {@link PartyIdentity}, taken from its verified TLS certificate, available to
 * gRPC handlers through {@link #current()}.
 *
 * <p>This is the only way a handler learns who is calling; names in messages are never trusted.
 * Calls without a TLS session or without a peer certificate are closed with {@code UNAUTHENTICATED}
 * before they reach the handler. Role checks happen earlier, in the TLS handshake ({@link
 * MutualTls#serverCredentials}).
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {

  private static final System.Logger LOG =
      System.getLogger(PeerIdentityInterceptor.class.getName());
  private static final Context.Key<PartyIdentity> PEER = Context.key("cleanroom-peer-identity");
  private static final Context.Key<X509Certificate> CERT =
      Context.key("cleanroom-peer-certificate");

  /** Creates the interceptor; it holds no state, one instance can serve every service. */
  public PeerIdentityInterceptor() {}

  /**
   * The identity of the party that made the current call.
   *
   * @throws IllegalStateException outside a call that went through this interceptor
   */
  public static PartyIdentity current() {
    PartyIdentity peer = PEER.get();
    if (peer == null) {
      throw new IllegalStateException(
          "no peer identity in context: is PeerIdentityInterceptor installed on this service?");
    }
    return peer;
  }

  /**
   * The verified leaf certificate of the party that made the current call, e.g. to check its
   * signatures.
   *
   * @throws IllegalStateException outside a call that went through this interceptor
   */
  public static X509Certificate currentCertificate() {
    X509Certificate cert = CERT.get();
    if (cert == null) {
      throw new IllegalStateException(
          "no peer certificate in context: is PeerIdentityInterceptor installed on this service?");
    }
    return cert;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return refuse(call, method, "no tls session");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return refuse(call, method, "no verified peer certificate");
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
      return refuse(call, method, "no x.509 peer certificate");
    }
    PartyIdentity peer;
    try {
      peer = PartyIdentity.of((X509Certificate) chain[0]);
    } catch (IllegalArgumentException e) {
      return refuse(call, method, "peer certificate names no party: " + e.getMessage());
    }
    Context context = Context.current().withValues(PEER, peer, CERT, (X509Certificate) chain[0]);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(
      ServerCall<ReqT, RespT> call, String method, String reason) {
    LOG.log(Level.WARNING, "refused call to {0}: {1}", method, reason);
    call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
