package io.cleanroom.protocol.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.protocol.wire.v1.GetStudyRequest;
import io.cleanroom.protocol.wire.v1.ListStudiesRequest;
import io.cleanroom.protocol.wire.v1.StudyStatusGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Clients of a party's {@code cleanroom.v1.StudyStatus} service, for the services' tests. */
public final class StatusClients {
  private StatusClients() {}

  /**
   * A blocking stub calling the status service on {@code 127.0.0.1:port}, expecting the server
   * certificate of {@code party}, with a 10 s deadline. The channel is added to {@code channels},
   * which the test shuts down.
   */
  public static StudyStatusGrpc.StudyStatusBlockingStub stub(
      int port, String party, ChannelCredentials credentials, List<ManagedChannel> channels) {
    ManagedChannel ch =
        Grpc.newChannelBuilder("127.0.0.1:" + port, credentials).overrideAuthority(party).build();
    channels.add(ch);
    return StudyStatusGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A request for the status of study {@code id}. */
  public static GetStudyRequest get(String id) {
    return GetStudyRequest.newBuilder().setStudyId(id).build();
  }

  /**
   * Asserts that a caller trusting the consortium's CA ({@code caCertificate}) but presenting no
   * client certificate cannot connect: the call fails {@code UNAVAILABLE}.
   *
   * @param stub makes a stub to the service under test with the given credentials
   */
  public static void assertCallerWithoutClientCertificateCannotConnect(
      Path caCertificate,
      Function<ChannelCredentials, StudyStatusGrpc.StudyStatusBlockingStub> stub)
      throws IOException {
    ChannelCredentials serverOnly =
        TlsChannelCredentials.newBuilder().trustManager(caCertificate.toFile()).build();
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> stub.apply(serverOnly).list(ListStudiesRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
  }
}
