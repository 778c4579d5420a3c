package io.cleanroom.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cleanroom.eval.model.PlaintextLogisticTrainer;
import io.cleanroom.protocol.mpc.Arithmetic;
import org.junit.jupiter.api.Test;

/** The plaintext twin's copy of the secure sigmoid is the protocol's function. */
class TwinSigmoidTest {

  @Test
  void twinsApproximation_isTheProtocolsSigmoid() {
    for (int i = -2_000_000; i <= 2_000_000; i++) {
      double u = i * 1e-5;
      assertEquals(
          Arithmetic.sigmoidClampedPlain(u),
          PlaintextLogisticTrainer.clampedCubicSigmoid(u),
          1e-15,
          "at " + u);
    }
  }
}
