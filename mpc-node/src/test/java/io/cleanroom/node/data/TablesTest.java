package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The array-backed tables behind {@link BankData}, across several rounds of growth. */
class TablesTest {

  @Test
  void keyTableNumbersKeysInInsertionOrderPerTag() {
    KeyTable t = new KeyTable();
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i, t.add(i % 3, "k" + i / 3));
    }
    assertEquals(10_000, t.size());
    assertEquals(4, t.add(1, "k1"));
    assertEquals(10_000, t.size());
    t.trim();
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i, t.find(i % 3, "k" + i / 3));
      assertEquals("k" + i / 3, t.key(i));
      assertEquals(i % 3, t.tag(i));
    }
    assertEquals(-1, t.find(0, "zz"));
    assertEquals(-1, t.find(3, "k0"));
  }

  @Test
  void longTableNumbersKeysInInsertionOrder() {
    LongTable t = new LongTable();
    for (int i = 0; i < 10_000; i++) {
      assertEquals(i, t.add((long) i << 32 | (i * 7L)));
    }
    assertEquals(5, t.add(5L << 32 | 35));
    assertEquals(10_000, t.size());
    assertEquals(123, t.find(123L << 32 | 861));
    assertEquals(-1, t.find(1));
  }

  @Test
  void edgeListSumsPairsAndSortsThem() {
    EdgeList e = new EdgeList();
    e.add(2, 1, 1.0);
    e.add(0, 3, 2.0);
    e.add(2, 0, 4.0);
    e.add(2, 1, 8.0);
    e.add(0, 0, 16.0);
    e.sort(3, 4);
    assertEquals(4, e.size());
    assertArrayEquals(new int[] {0, 0, 2, 2}, e.a());
    assertArrayEquals(new int[] {0, 3, 0, 1}, e.b());
    assertArrayEquals(new double[] {16, 2, 4, 9}, e.amount());
    assertArrayEquals(new int[] {1, 1, 1, 2}, e.transfers());
  }
}
