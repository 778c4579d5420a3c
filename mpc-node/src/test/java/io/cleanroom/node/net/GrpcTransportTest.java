package io.cleanroom.node.net;

import io.cleanroom.protocol.transport.StudyHarness;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.protocol.transport.TransportConformance;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** The transport conformance suite over real gRPC with mutual TLS on loopback. */
class GrpcTransportTest extends TransportConformance {

  @TempDir Path temp;
  private int studies;

  @Override
  protected StudyHarness.Study newStudy(List<String> parties) throws Exception {
    TestMesh mesh = new TestMesh(temp.resolve("pki-" + (++studies)), parties);
    List<GrpcTransport> ts = mesh.study("st-conformance");
    return new StudyHarness.Study() {
      @Override
      public List<Transport> transports() {
        return List.copyOf(ts);
      }

      @Override
      public void close() throws Exception {
        ts.forEach(GrpcTransport::close);
        mesh.close();
      }
    };
  }
}
