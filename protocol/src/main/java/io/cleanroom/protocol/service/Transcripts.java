package io.cleanroom.protocol.service;

import com.google.protobuf.MessageLite;
import io.cleanroom.protocol.pki.PartyIdentity;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Records, raw, every message a party receives from another party, for audits and for the tests
 * that prove no plaintext crosses the wire: one file per sender and method under the transcript
 * folder, each message as its serialised protobuf bytes. Installed as a server interceptor (what
 * callers send) and a client interceptor (what servers answer), so nothing received bypasses it.
 */
public final class Transcripts {

  private final Path dir;
  private final Map<String, OutputStream> files = new HashMap<>();

  private Transcripts(Path dir) {
    this.dir = dir;
  }

  /** Transcripts into {@code dir}, or none at all (every record a no-op) when it is null. */
  public static Transcripts open(Path dir) throws IOException {
    return new Transcripts(dir == null ? null : Files.createDirectories(dir));
  }

  /** Appends one received message. */
  public synchronized void record(String from, String method, MessageLite message) {
    if (dir == null) {
      return;
    }
    String name = (from + "-" + method).replaceAll("[^A-Za-z0-9._-]", "_") + ".bin";
    try {
      OutputStream out = files.get(name);
      if (out == null) {
        out =
            Files.newOutputStream(
                dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        files.put(name, out);
      }
      message.writeDelimitedTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write transcript " + name, e);
    }
  }

  /** Closes the transcript files. */
  public synchronized void close() throws IOException {
    for (OutputStream o : files.values()) {
      o.close();
    }
    files.clear();
  }

  /** Records what callers send to this party's services. */
  public ServerInterceptor server() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String from = caller(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        String method = call.getMethodDescriptor().getBareMethodName();
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
            next.startCall(call, headers)) {
          @Override
          public void onMessage(Q message) {
            if (message instanceof MessageLite m) {
              record(from, method, m);
            }
            super.onMessage(message);
          }
        };
      }
    };
  }

  /** Records what a server answers to this party's calls. */
  public ClientInterceptor client() {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String from = next.authority();
        String name = method.getBareMethodName();
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(
                new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                  @Override
                  public void onMessage(R message) {
                    if (message instanceof MessageLite m) {
                      record(from, name, m);
                    }
                    super.onMessage(message);
                  }
                },
                headers);
          }
        };
      }
    };
  }

  private static String caller(SSLSession session) {
    try {
      return session == null
          ? "unknown"
          : PartyIdentity.of((X509Certificate) session.getPeerCertificates()[0]).name();
    } catch (SSLPeerUnverifiedException | RuntimeException e) {
      return "unknown";
    }
  }
}
