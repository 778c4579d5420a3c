package io.cleanroom.protocol.mpc;

import io.cleanroom.protocol.transport.StudyHarness;
import java.util.List;

/** The arithmetic conformance suite over the in-memory transport. */
class InMemoryArithmeticTest extends ArithmeticConformance {
  @Override
  protected StudyHarness.Study newStudy(List<String> parties) {
    return StudyHarness.inMemory("st-mpc", parties);
  }
}
