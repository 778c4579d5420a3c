package io.cleanroom.protocol.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static LogRecord record(Level level, String message) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName("io.cleanroom.test.Logger");
    r.setMillis(1_700_000_000_123L);
    return r;
  }

  @Test
  void json_isOneObjectPerLine_withEveryField() throws Exception {
    Formatter f = LogFormat.formatter(LogFormat.Kind.JSON);
    String line;
    try (LogContext.Scope s = LogContext.open("bank-a", "st-0011", "phase/train")) {
      line = f.format(record(Level.INFO, "epoch 3 done"));
    }
    assertTrue(line.endsWith("\n"));
    assertEquals(1, line.split("\n", -1).length - 1, line);
    JsonNode j = JSON.readTree(line);
    assertEquals("2023-11-14T22:13:20.123Z", j.get("time").asText());
    assertEquals("INFO", j.get("level").asText());
    assertEquals("io.cleanroom.test.Logger", j.get("logger").asText());
    assertEquals("st-0011", j.get("study").asText());
    assertEquals("phase/train", j.get("step").asText());
    assertEquals("bank-a", j.get("party").asText());
    assertEquals("epoch 3 done", j.get("message").asText());
    assertTrue(j.get("exception").isNull());
    assertEquals(Thread.currentThread().getName(), j.get("thread").asText());
  }

  @Test
  void json_outsideAStudy_hasNullContext() throws Exception {
    JsonNode j =
        JSON.readTree(LogFormat.formatter(LogFormat.Kind.JSON).format(record(Level.FINE, "x")));
    assertTrue(j.get("study").isNull());
    assertTrue(j.get("step").isNull());
    assertTrue(j.get("party").isNull());
    assertEquals("FINE", j.get("level").asText());
  }

  @Test
  void json_escapesQuotesBackslashesControlsAndNewlines_andCarriesTheStackTrace() throws Exception {
    String nasty = "a \"quoted\" \\path\\ with\nnew line,\ttab, \u0001 bell \u2028 and é€😀";
    LogRecord r = record(Level.SEVERE, nasty);
    r.setThrown(new IllegalStateException("boom \"inner\""));
    String line;
    try (LogContext.Scope s = LogContext.open("bank-\"b", "st-1", "phase/x\ny")) {
      line = LogFormat.formatter(LogFormat.Kind.JSON).format(r);
    }
    // One line: no raw newline before the terminating one.
    assertEquals(line.length() - 1, line.indexOf('\n'), line);
    JsonNode j = JSON.readTree(line);
    assertEquals(nasty, j.get("message").asText());
    assertEquals("bank-\"b", j.get("party").asText());
    assertEquals("phase/x\ny", j.get("step").asText());
    assertTrue(
        j.get("exception").asText().startsWith("java.lang.IllegalStateException: boom \"inner\""),
        j.get("exception").asText());
    assertTrue(j.get("exception").asText().contains("LogFormatTest"));
  }

  @Test
  void json_formatsMessageParameters() throws Exception {
    LogRecord r = record(Level.WARNING, "{0} of {1}");
    r.setParameters(new Object[] {"3", "4"});
    assertEquals(
        "3 of 4",
        JSON.readTree(LogFormat.formatter(LogFormat.Kind.JSON).format(r)).get("message").asText());
  }

  @Test
  void text_prefixesTheContext_andLeavesOtherLinesAlone() {
    Formatter f = LogFormat.formatter(LogFormat.Kind.TEXT);
    String plain = f.format(record(Level.INFO, "connected"));
    assertTrue(plain.contains("connected"), plain);
    assertTrue(!plain.contains("study="), plain);
    String inStudy;
    try (LogContext.Scope s = LogContext.open("coordinator", "st-9", "phase/link")) {
      inStudy = f.format(record(Level.INFO, "linked"));
    }
    assertTrue(inStudy.contains("study=st-9 step=phase/link party=coordinator | linked"), inStudy);
  }

  @Test
  void scopes_nestAndRestore_andWrapCarriesTheContextToAnotherThread() throws Exception {
    assertTrue(LogContext.current().isEmpty());
    try (LogContext.Scope outer = LogContext.open("coordinator", "st-2", "control/open")) {
      try (LogContext.Scope inner = LogContext.step("phase/train")) {
        assertEquals(
            new LogContext.Context("coordinator", "st-2", "phase/train"), LogContext.current());
        AtomicReference<LogContext.Context> seen = new AtomicReference<>();
        Runnable task = LogContext.wrap(() -> seen.set(LogContext.current()));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.submit(task).get(5, TimeUnit.SECONDS);
        // The pool's thread is left as it was.
        AtomicReference<LogContext.Context> after = new AtomicReference<>();
        pool.submit(() -> after.set(LogContext.current())).get(5, TimeUnit.SECONDS);
        pool.shutdown();
        assertEquals("phase/train", seen.get().step());
        assertEquals("st-2", seen.get().study());
        assertTrue(after.get().isEmpty());
      }
      assertEquals("control/open", LogContext.current().step());
    }
    assertTrue(LogContext.current().isEmpty());
  }

  @Test
  void selection_acceptsTextAndJson_andRefusesOthersByName() {
    assertEquals(LogFormat.Kind.TEXT, LogFormat.parse(null, LogFormat.ENVIRONMENT));
    assertEquals(LogFormat.Kind.JSON, LogFormat.parse(" JSON ", LogFormat.ENVIRONMENT));
    assertEquals(LogFormat.Kind.TEXT, LogFormat.parse("text", LogFormat.PROPERTY));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LogFormat.parse("xml", LogFormat.ENVIRONMENT));
    assertTrue(e.getMessage().contains("CLEANROOM_LOG_FORMAT=xml"), e.getMessage());
  }
}
