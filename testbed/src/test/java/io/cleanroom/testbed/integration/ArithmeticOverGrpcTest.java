package io.cleanroom.testbed.integration;

import io.cleanroom.protocol.mpc.ArithmeticConformance;
import io.cleanroom.protocol.mpc.CorrelatedRandomness;
import io.cleanroom.protocol.transport.StudyHarness;
import io.cleanroom.protocol.transport.Transport;
import io.cleanroom.testbed.local.LoopbackMesh;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * The arithmetic conformance suite over the production stack: node-to-node gRPC with mutual TLS,
 * and the dealer's randomness streamed from the coordinator's service.
 */
class ArithmeticOverGrpcTest extends ArithmeticConformance {

  private static final Map<Integer, LoopbackMesh> MESHES = new HashMap<>();
  private static int studies;

  @AfterAll
  static void closeMeshes() throws Exception {
    for (LoopbackMesh m : MESHES.values()) {
      m.close();
    }
    MESHES.clear();
  }

  @Override
  protected StudyHarness.Study newStudy(List<String> parties) throws Exception {
    LoopbackMesh mesh = MESHES.get(parties.size());
    if (mesh == null) {
      mesh = LoopbackMesh.start(parties);
      MESHES.put(parties.size(), mesh);
    }
    LoopbackMesh.Study s = mesh.open("st-arith-" + (++studies), Duration.ofSeconds(60));
    return new StudyHarness.Study() {
      @Override
      public List<Transport> transports() {
        return List.copyOf(s.transports());
      }

      @Override
      public List<CorrelatedRandomness> randomness() {
        return s.randomness();
      }

      @Override
      public void close() {
        s.close();
      }
    };
  }
}
