package io.cleanroom.protocol.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class InMemoryTransportTest extends TransportConformance {
  @Override
  protected StudyHarness.Study newStudy(List<String> parties) {
    InMemoryNetwork net = new InMemoryNetwork("st-test", parties, Duration.ofSeconds(30));
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
