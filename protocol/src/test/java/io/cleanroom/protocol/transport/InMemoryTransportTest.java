package io.cleanroom.protocol.transport;

import java.util.List;

/** The transport conformance suite over the in-memory transport. */
class InMemoryTransportTest extends TransportConformance {
  @Override
  protected StudyHarness.Study newStudy(List<String> parties) {
    return StudyHarness.inMemory("st-test", parties);
  }
}
