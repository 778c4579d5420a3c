package io.cleanroom.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.dealer.LocalRandomness;
import io.cleanroom.protocol.mpc.Arithmetic;
import io.cleanroom.protocol.mpc.FixedPoint;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.transport.StudyHarness;
import io.cleanroom.protocol.transport.Transport;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check that refuses a joint model whose logits reach the range where the secure steps stop
 * being exact: weights forced far beyond anything training reaches.
 */
class LogitLimitTest {

  private static final FixedPoint FP = new FixedPoint(FixedPoint.DEFAULT_FRACTION_BITS);

  @Test
  void limit_isWhereTheForwardProductLeavesTheTruncationsRange() {
    assertEquals(4_194_304.0, SecureLogisticRegression.logitLimit(20));
    double[][] z = {{1, 2}, {-1, 0.5}, {0, 0}};
    assertEquals(0, SecureLogisticRegression.beyond(z, new double[] {3, -2, 1}, 1e6));
    assertEquals(2, SecureLogisticRegression.beyond(z, new double[] {3e6, -2, 1}, 1e6));
    assertEquals(3, SecureLogisticRegression.beyond(z, new double[] {0, 0, Double.NaN}, 1e6));
  }

  /** Three banks check their own rows with the same opened weights. */
  private static List<Object> check(double[] w) throws Exception {
    double[][][] rows = {
      {{1, 0}, {0.5, -1}}, {{-2, 1}}, {{0.1, 0.2}, {4, 0}, {-4, 0}},
    };
    try (StudyHarness.Study s = StudyHarness.inMemory("st-logit", StudyHarness.parties(3))) {
      Dealer dealer = new Dealer(new byte[16], 3);
      return StudyHarness.runAll(
          s.transports(),
          (Transport t) -> {
            Arithmetic a =
                new Arithmetic(
                    t, new LocalRandomness(dealer, t.selfIndex()), FP, Prg.fromSeed(new byte[16]));
            try {
              TrainingPhase.checkLogitLimit(a, rows[t.selfIndex()], w, 6, new SecureRandom());
              return "released";
            } catch (IllegalStateException e) {
              return e.getMessage();
            }
          });
    }
  }

  @Test
  void overflowingLogits_areCaughtAtEveryBankAndNamed() throws Exception {
    assertEquals(List.of("released", "released", "released"), check(new double[] {20, -3, 1}));
    // 2^21 per unit of the first feature: bank-b's row at −2 reaches 2^22, bank-c's at ±4 2^23
    List<Object> refused = check(new double[] {2_097_152, 0, 0});
    for (Object r : refused) {
      assertTrue(
          String.valueOf(r)
              .equals(
                  "train: the joint model's logit reaches ±4194304, where the secure steps stop"
                      + " being exact, on 3 of 6 rows; the model is not released"),
          String.valueOf(r));
    }
  }

  @Test
  void rowsOutsideTheWinsorisedRange_areRefusedBeforeAnythingIsSent() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SecureLogisticRegression.checkRows(new double[][] {{0.5}, {7.5}}, 1, 5));
    assertEquals(
        "row 1, feature 0: 7.5 is not a standardised value winsorised to ±5.0", e.getMessage());
  }
}
