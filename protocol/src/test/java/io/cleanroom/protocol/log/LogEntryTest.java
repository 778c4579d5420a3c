package io.cleanroom.protocol.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  private static final long T0 = 1_740_823_200_000L;

  private static LogEntry first() {
    return new LogEntry(
        0,
        T0,
        "st-0a1b",
        EntryKind.PLAN,
        "{\"task\":\"aggregate-counts\"}",
        LogEntry.genesisHash());
  }

  @Test
  void encoding_roundTrips() throws Exception {
    LogEntry entry = first().next(T0 + 5, EntryKind.JOIN, "{\"party\":\"bank-a\",\"ü\":\"✓\"}");
    LogEntry decoded = LogEntry.decode(entry.encode());
    assertEquals(entry, decoded);
    assertEquals(1, decoded.index());
    assertEquals(T0 + 5, decoded.timestampMillis());
    assertEquals("st-0a1b", decoded.studyId());
    assertEquals(EntryKind.JOIN, decoded.kind());
    assertEquals("{\"party\":\"bank-a\",\"ü\":\"✓\"}", decoded.body());
    assertArrayEquals(first().hash(), decoded.previousHash());
    assertArrayEquals(entry.encode(), decoded.encode());
  }

  @Test
  void encoding_hasTheDocumentedLayout() throws Exception {
    LogEntry entry = new LogEntry(3, 258, "s", EntryKind.STATE, "1", new byte[32]);
    ByteBuffer expected =
        ByteBuffer.allocate(1 + 8 + 8 + 32 + 4 + 1 + 4 + 5 + 4 + 1)
            .put((byte) 1)
            .putLong(3)
            .putLong(258)
            .put(new byte[32])
            .putInt(1)
            .put((byte) 's')
            .putInt(5)
            .put("STATE".getBytes(StandardCharsets.US_ASCII))
            .putInt(1)
            .put((byte) '1');
    assertArrayEquals(expected.array(), entry.encode());
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(expected.array());
    assertArrayEquals(sha, entry.hash());
    assertArrayEquals(MerkleTree.leafHash(expected.array()), entry.leafHash());
  }

  @Test
  void firstEntry_chainsFromZeroBytes_andNextChainsFromItsHash() {
    LogEntry first = first();
    assertArrayEquals(new byte[32], first.previousHash());
    LogEntry second = first.next(T0 + 1, EntryKind.STEP_START, "{}");
    assertEquals(1, second.index());
    assertArrayEquals(first.hash(), second.previousHash());
  }

  @Test
  void decode_refusesEveryTruncation() {
    byte[] encoded = first().encode();
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      LogException e = assertThrows(LogException.class, () -> LogEntry.decode(prefix));
      assertTrue(e.getMessage().startsWith("log entry: truncated: "), e.getMessage());
      assertTrue(LogEntry.isIncomplete(prefix), "prefix of " + length);
    }
    assertFalse(LogEntry.isIncomplete(encoded));
  }

  @Test
  void decode_refusesTrailingData() {
    byte[] encoded = Arrays.copyOf(first().encode(), first().encode().length + 2);
    LogException e = assertThrows(LogException.class, () -> LogEntry.decode(encoded));
    assertTrue(e.getMessage().startsWith("log entry: 2 trailing bytes"), e.getMessage());
    assertFalse(LogEntry.isIncomplete(encoded));
  }

  @Test
  void decode_refusesBadFields() {
    byte[] encoded = first().encode();
    byte[] version = encoded.clone();
    version[0] = 2;
    assertEquals(
        "log entry: unsupported encoding version 2, expected 1",
        assertThrows(LogException.class, () -> LogEntry.decode(version)).getMessage());

    LogEntry kindEntry = new LogEntry(0, T0, "s", EntryKind.PLAN, "{}", new byte[32]);
    byte[] kind = kindEntry.encode();
    int kindOffset = 1 + 8 + 8 + 32 + 4 + 1 + 4;
    kind[kindOffset] = 'F'; // "PLAN" -> "FLAN"
    assertEquals(
        "log entry 0: unknown kind \"FLAN\"",
        assertThrows(LogException.class, () -> LogEntry.decode(kind)).getMessage());

    byte[] utf8 = kindEntry.encode();
    utf8[1 + 8 + 8 + 32 + 4] = (byte) 0xff; // study id "s" -> invalid UTF-8
    assertTrue(
        assertThrows(LogException.class, () -> LogEntry.decode(utf8))
            .getMessage()
            .contains("study id at offset 53 is not valid UTF-8"));

    byte[] json = kindEntry.encode();
    json[json.length - 1] = '{'; // body "{}" -> "{{"
    assertTrue(
        assertThrows(LogException.class, () -> LogEntry.decode(json))
            .getMessage()
            .startsWith("log entry 0: entry body is not valid JSON"));
  }

  @Test
  void constructor_refusesUnusableFields() {
    byte[] zero = new byte[32];
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogEntry(-1, T0, "s", EntryKind.PLAN, "{}", zero));
    assertThrows(
        IllegalArgumentException.class, () -> new LogEntry(0, -1, "s", EntryKind.PLAN, "{}", zero));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogEntry(0, T0, "s", EntryKind.PLAN, "{}", new byte[31]));
    assertThrows(
        IllegalArgumentException.class, () -> new LogEntry(0, T0, "", EntryKind.PLAN, "{}", zero));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogEntry(0, T0, "a\nb", EntryKind.PLAN, "{}", zero));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogEntry(0, T0, "s".repeat(257), EntryKind.PLAN, "{}", zero));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LogEntry(0, T0, "s", EntryKind.PLAN, "{\"a\":\"\uD800\"}", zero));
    assertThrows(IllegalArgumentException.class, () -> new LogEntry(0, T0, "s", null, "{}", zero));
    for (String notJson : new String[] {"", "{", "{} {}", "nope", "{\"a\":1,}"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new LogEntry(0, T0, "s", EntryKind.PLAN, notJson, zero));
      assertTrue(e.getMessage().startsWith("entry body "), e.getMessage());
    }
  }
}
