package io.cleanroom.protocol.pki;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * gRPC credentials for mutual TLS inside the consortium: both sides present their consortium
 * certificate, trust only the consortium CA, and check who the other side is.
 *
 * <p>A server states which {@link Role}s may call it; a client states exactly which party it
 * expects to reach and must use that party's name as the channel authority ({@code
 * overrideAuthority(expected.name())}), so that hostname verification matches the certificate's DNS
 * name. Every refusal is logged and fails the TLS handshake, which callers see as {@code
 * UNAVAILABLE}.
 *
 * <p>The TLS version is left to the transport (TLS 1.3, or 1.2 with peers that lack it): gRPC's
 * credentials API offers no protocol setting.
 */
public final class MutualTls {

  private static final System.Logger LOG = System.getLogger(MutualTls.class.getName());

  private MutualTls() {}

  /**
   * Server credentials that require a client certificate issued by the consortium CA whose role is
   * one of {@code acceptedClientRoles}.
   */
  public static ServerCredentials serverCredentials(TlsMaterial self, Set<Role> acceptedClientRoles)
      throws GeneralSecurityException {
    if (acceptedClientRoles.isEmpty()) {
      throw new IllegalArgumentException("no accepted client roles");
    }
    return TlsServerCredentials.newBuilder()
        .keyManager(keyManagerFactory(self).getKeyManagers())
        .trustManager(
            new ClientRoleCheck(pkix(self.ca()), EnumSet.copyOf(acceptedClientRoles), self.self()))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /**
   * Channel credentials that present {@code self}'s certificate and accept only a server whose
   * certificate is issued by the consortium CA to exactly {@code expectedServer}. The channel must
   * use {@code overrideAuthority(expectedServer.name())} (or a host in the server's certificate),
   * since the server's certificate must also be valid for the channel's authority.
   */
  public static ChannelCredentials channelCredentials(
      TlsMaterial self, PartyIdentity expectedServer) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(keyManagerFactory(self).getKeyManagers())
        .trustManager(new ServerIdentityCheck(pkix(self.ca()), expectedServer, self.self()))
        .build();
  }

  private static KeyManagerFactory keyManagerFactory(TlsMaterial self)
      throws GeneralSecurityException {
    // In-memory only: the password protects nothing but is required by the KeyStore API.
    char[] password = "in-memory".toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create key store", e);
    }
    store.setKeyEntry(
        "self", self.privateKey(), password, new X509Certificate[] {self.certificate(), self.ca()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
    factory.init(store, password);
    return factory;
  }

  private static X509ExtendedTrustManager pkix(X509Certificate ca) throws GeneralSecurityException {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    try {
      anchors.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create trust store", e);
    }
    anchors.setCertificateEntry("consortium-ca", ca);
    PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
    // The consortium publishes no CRL or OCSP responder, so there is nothing to check against.
    parameters.setRevocationEnabled(false);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(new CertPathTrustManagerParameters(parameters));
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager) {
        return (X509ExtendedTrustManager) manager;
      }
    }
    throw new GeneralSecurityException("no PKIX X509ExtendedTrustManager available");
  }

  private static String subject(X509Certificate[] chain) {
    return chain == null || chain.length == 0
        ? "(none)"
        : chain[0].getSubjectX500Principal().getName();
  }

  private static CertificateException refuse(String message, Throwable cause) {
    LOG.log(Level.WARNING, message);
    return new CertificateException(message, cause);
  }

  /** Trusts client chains from the consortium CA whose leaf has an accepted role. */
  private static final class ClientRoleCheck extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final Set<Role> accepted;
    private final PartyIdentity server;

    ClientRoleCheck(X509ExtendedTrustManager pkix, Set<Role> accepted, PartyIdentity server) {
      this.pkix = pkix;
      this.accepted = accepted;
      this.server = server;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        pkix.checkClientTrusted(chain, authType);
      } catch (CertificateException | IllegalArgumentException e) {
        throw notFromCa(chain, e);
      }
      checkRole(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        pkix.checkClientTrusted(chain, authType, socket);
      } catch (CertificateException | IllegalArgumentException e) {
        throw notFromCa(chain, e);
      }
      checkRole(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        pkix.checkClientTrusted(chain, authType, engine);
      } catch (CertificateException | IllegalArgumentException e) {
        throw notFromCa(chain, e);
      }
      checkRole(chain);
    }

    private CertificateException notFromCa(X509Certificate[] chain, Exception e) {
      return refuse(
          "refused client certificate: "
              + subject(chain)
              + " does not validate against the consortium CA ("
              + e.getMessage()
              + ")",
          e);
    }

    private void checkRole(X509Certificate[] chain) throws CertificateException {
      PartyIdentity client;
      try {
        client = PartyIdentity.of(chain[0]);
      } catch (IllegalArgumentException e) {
        throw refuse(
            "refused client certificate: " + subject(chain) + " names no party: " + e.getMessage(),
            e);
      }
      if (!accepted.contains(client.role())) {
        throw refuse(
            "refused client certificate: "
                + subject(chain)
                + " has role "
                + client.role().label()
                + ", this service ("
                + server.name()
                + ") accepts "
                + accepted.stream().map(Role::label).collect(Collectors.joining(", ")),
            null);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("server-side trust manager does not check servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }
  }

  /**
   * Trusts a server chain from the consortium CA whose leaf is exactly the expected party and names
   * the host the channel connected to.
   *
   * <p>The host check is done here rather than by the JDK's PKIX trust manager because the JDK
   * reads an all-digit name such as bank {@code 812} as an IPv4 literal (0.0.3.44) and then never
   * matches it against DNS names. Our certificates hold no wildcards, so exact matching suffices.
   */
  private static final class ServerIdentityCheck extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final PartyIdentity expected;
    private final PartyIdentity client;

    ServerIdentityCheck(
        X509ExtendedTrustManager pkix, PartyIdentity expected, PartyIdentity client) {
      this.pkix = pkix;
      this.expected = expected;
      this.client = client;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      checkIdentity(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkIdentity(chain, authType);
      SSLSession session =
          socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
      checkHost(chain, session == null ? null : session.getPeerHost());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkIdentity(chain, authType);
      checkHost(chain, engine == null ? null : engine.getPeerHost());
    }

    private void checkIdentity(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        pkix.checkServerTrusted(chain, authType);
      } catch (CertificateException | IllegalArgumentException e) {
        throw refuse(
            "refused server certificate: "
                + subject(chain)
                + " does not validate against the consortium CA ("
                + e.getMessage()
                + ")",
            e);
      }
      PartyIdentity actual;
      try {
        actual = PartyIdentity.of(chain[0]);
      } catch (IllegalArgumentException e) {
        throw refuse(
            "refused server certificate: " + subject(chain) + " names no party: " + e.getMessage(),
            e);
      }
      if (!actual.equals(expected)) {
        throw refuse(
            "refused server certificate: expected "
                + expected
                + ", server is "
                + actual
                + " (client "
                + client.name()
                + ")",
            null);
      }
    }

    private void checkHost(X509Certificate[] chain, String host) throws CertificateException {
      if (host == null || host.isEmpty()) {
        throw refuse("refused server certificate: no host name to verify it against", null);
      }
      if (!SubjectAltNames.matches(chain[0], host)) {
        throw refuse(
            "refused server certificate: "
                + expected
                + " is not valid for host "
                + host
                + " (channels must use overrideAuthority(\""
                + expected.name()
                + "\"))",
            null);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("client-side trust manager does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return pkix.getAcceptedIssuers();
    }

    @Override
    public String toString() {
      return "ServerIdentityCheck[" + client + " expects " + expected + "]";
    }
  }
}
