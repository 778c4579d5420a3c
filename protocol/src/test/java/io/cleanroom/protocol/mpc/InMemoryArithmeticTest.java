package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.transport.InMemoryNetwork;
import io.cleanroom.protocol.transport.StudyHarness;
import io.cleanroom.protocol.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The arithmetic conformance suite over the in-memory transport. */
class InMemoryArithmeticTest extends ArithmeticConformance {
  @Override
  protected StudyHarness.Study newStudy(List<String> parties) {
    InMemoryNetwork net = new InMemoryNetwork("st-mpc", parties, Duration.ofSeconds(30));
    List<Transport> ts = new ArrayList<>();
    parties.forEach(p -> ts.add(net.transport(p)));
    return new StudyHarness.Study() {
      @Override
      public List<Transport> transports() {
        return ts;
      }

      @Override
      public void close() {
        net.stopAll("test finished");
      }
    };
  }
}
