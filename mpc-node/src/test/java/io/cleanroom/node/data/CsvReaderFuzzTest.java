package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary text through {@link CsvReader}: records, or a {@link DataException} naming the line.
 */
class CsvReaderFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void records(byte[] input) throws IOException {
    String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
    List<List<String>> records = new ArrayList<>();
    try (CsvReader csv = new CsvReader(new BufferedReader(new StringReader(text)), "fuzz.csv")) {
      long previousLine = 0;
      for (List<String> r; (r = csv.next()) != null; ) {
        assertTrue(!r.isEmpty(), "a record has at least one field");
        assertTrue(csv.line() > previousLine, "record lines increase");
        assertTrue(csv.line() <= csv.linesRead(), "a record starts on a line already read");
        previousLine = csv.line();
        records.add(r);
      }
    } catch (DataException e) {
      assertEquals("fuzz.csv", e.file());
      assertTrue(e.line() >= 1, e.getMessage());
      assertTrue(e.getMessage().startsWith("fuzz.csv line " + e.line() + ": "), e.getMessage());
      return;
    }
    // What was read must read back the same when written out in canonical quoting.
    assertEquals(records, reread(records));
  }

  private static List<List<String>> reread(List<List<String>> records) throws IOException {
    StringBuilder out = new StringBuilder();
    for (List<String> r : records) {
      for (int i = 0; i < r.size(); i++) {
        out.append(i == 0 ? "" : ",")
            .append('"')
            .append(r.get(i).replace("\"", "\"\""))
            .append('"');
      }
      out.append('\n');
    }
    List<List<String>> again = new ArrayList<>();
    try (CsvReader csv =
        new CsvReader(new BufferedReader(new StringReader(out.toString())), "again.csv")) {
      for (List<String> r; (r = csv.next()) != null; ) {
        again.add(r);
      }
    } catch (DataException e) {
      throw new AssertionError("canonical CSV refused: " + e.getMessage(), e);
    }
    return again;
  }
}
