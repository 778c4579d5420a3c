package io.cleanroom.eval.sum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {

  private static Layout layout() {
    return Layout.builder("test").block("n", 1).block("sums", 3).block("counts", 2).build();
  }

  @Test
  void blocks_areConsecutive() {
    Layout l = layout();
    assertEquals(6, l.size());
    assertEquals(List.of("n", "sums", "counts"), l.blocks());
    assertEquals(1, l.offset("sums"));
    assertEquals(4, l.offset("counts"));
    assertEquals(2, l.length("counts"));
    assertArrayEquals(new long[] {5, 6}, l.slice(new long[] {0, 1, 2, 3, 5, 6}, "counts"));
  }

  @Test
  void id_dependsOnBlocksOnly() {
    assertEquals(layout().id(), layout().id());
    Layout other = Layout.builder("test").block("n", 1).block("sums", 4).block("counts", 2).build();
    assertNotEquals(layout().id(), other.id());
    assertEquals("test:", layout().id().substring(0, 5));
  }

  @Test
  void wrongSize_fails() {
    var e = assertThrows(IllegalArgumentException.class, () -> layout().requireSize(new long[5]));
    assertEquals("vector has 5 entries, layout test has 6", e.getMessage());
  }

  @Test
  void unknownBlock_fails() {
    var e = assertThrows(IllegalArgumentException.class, () -> layout().offset("other"));
    assertEquals("layout test has no block other", e.getMessage());
  }

  @Test
  void duplicateBlock_fails() {
    var b = Layout.builder("test").block("n", 1);
    var e = assertThrows(IllegalArgumentException.class, () -> b.block("n", 2));
    assertEquals("layout test already has block n", e.getMessage());
  }

  @Test
  void scale_roundsToSixteenBits() {
    assertEquals(65536, Scale.encode(1));
    assertEquals(-98304, Scale.encode(-1.5));
    assertEquals(1, Scale.encode(1.0 / 65536 * 0.6));
    assertEquals(0.25, Scale.decode(Scale.encode(0.25)));
    assertThrows(IllegalArgumentException.class, () -> Scale.encode(Double.NaN));
  }
}
