package io.cleanroom.protocol.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Arbitrary bytes as a log entry: the one canonical encoding of an entry, or a LogException. */
class LogEntryFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decode(byte[] bytes) {
    LogEntry entry;
    try {
      entry = LogEntry.decode(bytes);
    } catch (LogException e) {
      assertTrue(e.getMessage().startsWith("log entry"), e.getMessage());
      return;
    }
    assertArrayEquals(bytes, entry.encode());
    assertEquals(
        entry,
        new LogEntry(
            entry.index(),
            entry.timestampMillis(),
            entry.studyId(),
            entry.kind(),
            entry.body(),
            entry.previousHash()));
  }
}
