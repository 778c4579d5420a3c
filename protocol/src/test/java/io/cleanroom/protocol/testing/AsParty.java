package io.cleanroom.protocol.testing;

import io.cleanroom.protocol.pki.ConsortiumPki;
import io.cleanroom.protocol.pki.PeerIdentityInterceptor;
import io.cleanroom.protocol.pki.TlsMaterial;
import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Runs a service handler as a named party of a test consortium, without a network: the call passes
 * through the real {@link PeerIdentityInterceptor} with a TLS session whose peer certificate is the
 * party's, so the handler sees exactly the identity a mutual-TLS call would give it.
 */
public final class AsParty {
  private final Map<String, X509Certificate> certificates = new HashMap<>();
  private final PeerIdentityInterceptor interceptor = new PeerIdentityInterceptor();

  /**
   * Issues certificates for {@code nodes}, the coordinator and the operator into a fresh folder.
   */
  public AsParty(List<String> nodes) throws IOException, GeneralSecurityException {
    Path dir = Files.createTempDirectory("consortium");
    ConsortiumPki.init(dir, nodes, List.of());
    for (String name :
        Stream.concat(nodes.stream(), Stream.of(ConsortiumPki.COORDINATOR, ConsortiumPki.OPERATOR))
            .toList()) {
      certificates.put(name, TlsMaterial.loadDir(dir.resolve(name)).certificate());
    }
  }

  /** Runs {@code handler} within a call to {@code method} made by party {@code name}. */
  public <ReqT, RespT> void run(
      String name, MethodDescriptor<ReqT, RespT> method, Runnable handler) {
    X509Certificate certificate = certificates.get(name);
    if (certificate == null) {
      throw new IllegalArgumentException("no certificate for " + name);
    }
    Call<ReqT, RespT> call = new Call<>(method, new Session(certificate));
    interceptor.interceptCall(
        call,
        new Metadata(),
        (c, headers) -> {
          handler.run();
          return new ServerCall.Listener<ReqT>() {};
        });
    if (call.closed != null) {
      throw new IllegalStateException("call refused before the handler: " + call.closed);
    }
  }

  private static final class Call<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;
    private final Attributes attributes;
    private Status closed;

    Call(MethodDescriptor<ReqT, RespT> method, SSLSession session) {
      this.method = method;
      this.attributes =
          Attributes.newBuilder().set(Grpc.TRANSPORT_ATTR_SSL_SESSION, session).build();
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(RespT message) {}

    @Override
    public void close(Status status, Metadata trailers) {
      closed = status;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return method;
    }
  }

  /** A TLS session that only knows its peer's certificate, which is all the interceptor reads. */
  private record Session(X509Certificate peer) implements SSLSession {
    @Override
    public Certificate[] getPeerCertificates() {
      return new Certificate[] {peer};
    }

    @Override
    public Principal getPeerPrincipal() {
      return peer.getSubjectX500Principal();
    }

    @Override
    public byte[] getId() {
      return new byte[0];
    }

    @Override
    public SSLSessionContext getSessionContext() {
      return null;
    }

    @Override
    public long getCreationTime() {
      return 0;
    }

    @Override
    public long getLastAccessedTime() {
      return 0;
    }

    @Override
    public void invalidate() {}

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public void putValue(String name, Object value) {}

    @Override
    public Object getValue(String name) {
      return null;
    }

    @Override
    public void removeValue(String name) {}

    @Override
    public String[] getValueNames() {
      return new String[0];
    }

    @Override
    public Certificate[] getLocalCertificates() {
      return null;
    }

    @Override
    public Principal getLocalPrincipal() {
      return null;
    }

    @Override
    public String getCipherSuite() {
      return "TLS_AES_128_GCM_SHA256";
    }

    @Override
    public String getProtocol() {
      return "TLSv1.3";
    }

    @Override
    public String getPeerHost() {
      return null;
    }

    @Override
    public int getPeerPort() {
      return -1;
    }

    @Override
    public int getPacketBufferSize() {
      return 0;
    }

    @Override
    public int getApplicationBufferSize() {
      return 0;
    }
  }
}
