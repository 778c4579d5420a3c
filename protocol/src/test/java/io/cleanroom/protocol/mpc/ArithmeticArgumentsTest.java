package io.cleanroom.protocol.mpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cleanroom.protocol.dealer.Dealer;
import io.cleanroom.protocol.dealer.LocalRandomness;
import io.cleanroom.protocol.sharing.Prg;
import io.cleanroom.protocol.transport.InMemoryNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Misuse is refused before anything is sent. */
class ArithmeticArgumentsTest {

  private final InMemoryNetwork net =
      new InMemoryNetwork("st-args", List.of("bank-a", "bank-b"), Duration.ofSeconds(1));

  private Arithmetic arithmetic(int fractionBits) {
    return new Arithmetic(
        net.transport("bank-a"),
        new LocalRandomness(new Dealer(new byte[16], 2), 0),
        new FixedPoint(fractionBits),
        Prg.fromSeed(new byte[16]));
  }

  private final Arithmetic a = arithmetic(20);

  @AfterEach
  void stop() {
    net.stopAll("test finished");
  }

  private static void refused(String message, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(message, e.getMessage());
  }

  @Test
  void mismatchedLengths_areRefused() {
    long[] two = new long[2];
    long[] three = new long[3];
    refused("vectors of different lengths: 2 and 3", () -> a.add(two, three));
    refused("vectors of different lengths: 2 and 3", () -> a.addPublic(two, three));
    refused("vectors of different lengths: 2 and 3", () -> a.mul("m", two, three));
    refused("vectors of different lengths: 2 and 3", () -> a.lessThan("l", two, three));
    refused(
        "vectors of different lengths: 2 and 3",
        () -> a.dot("d", new long[][] {two}, new long[][] {three}));
    refused(
        "vectors of different lengths: 1 and 2",
        () -> a.dot("d", new long[][] {two}, new long[][] {two, two}));
  }

  @Test
  void badShift_isRefused() {
    refused("shift must be 1..62, got 0", () -> a.truncate("t", new long[1], 0));
    refused("shift must be 1..62, got 63", () -> a.truncate("t", new long[1], 63));
  }

  @Test
  void badParties_areRefused() {
    refused("a party inputs its own vector with inputOwn", () -> a.inputFrom("i", "bank-a", 1));
    refused("bank-x is not a party of the study", () -> a.inputFrom("i", "bank-x", 1));
    refused("bank-x is not a party of the study", () -> a.openTo("o", "bank-x", new long[1]));
  }

  @Test
  void badMatrix_isRefused() {
    refused(
        "edge 1 ends at node 3, outside 0..2",
        () -> a.maskMatrix("m", new int[] {0, 1}, new int[] {2, 3}, 3, new long[2]));
    refused(
        "edge 0 starts at node -1, outside 0..2",
        () -> a.maskMatrix("m", new int[] {-1}, new int[] {0}, 3, new long[1]));
    refused(
        "vectors of different lengths: 1 and 2",
        () -> a.maskMatrix("m", new int[] {0}, new int[] {0}, 3, new long[2]));
  }

  @Test
  void sigmoid_needsRoomForSeventhPowers() {
    refused(
        "sigmoid needs at most 22 fraction bits, got 24",
        () -> arithmetic(24).sigmoid("s", new long[1]));
  }
}
