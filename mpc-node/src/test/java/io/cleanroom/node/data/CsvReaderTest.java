package io.cleanroom.node.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  private static CsvReader reader(String text) {
    return new CsvReader(new BufferedReader(new StringReader(text)), "t.csv");
  }

  private static List<List<String>> readAll(String text) throws Exception {
    List<List<String>> records = new ArrayList<>();
    try (CsvReader r = reader(text)) {
      for (List<String> rec; (rec = r.next()) != null; ) {
        records.add(rec);
      }
    }
    return records;
  }

  @Test
  void plainFieldsIncludingEmptyOnes() throws Exception {
    assertEquals(List.of(List.of("a", "b", "c"), List.of("", "x", "")), readAll("a,b,c\n,x,\n"));
  }

  @Test
  void quotedFieldsWithCommasAndDoubledQuotes() throws Exception {
    assertEquals(
        List.of(List.of("a,b", "say \"hi\"", "", "z")),
        readAll("\"a,b\",\"say \"\"hi\"\"\",\"\",z\n"));
  }

  @Test
  void crlfAndCrAndLastLineWithoutBreak() throws Exception {
    assertEquals(
        List.of(List.of("a", "b"), List.of("c", "d"), List.of("e", "f")),
        readAll("a,b\r\nc,d\re,f"));
  }

  @Test
  void lineBreakInsideQuotesKeepsLineNumbersRight() throws Exception {
    try (CsvReader r = reader("h1,h2\r\n\"two\r\nlines\",x\r\nlast,y\r\n")) {
      r.next();
      assertEquals(List.of("two\nlines", "x"), r.next());
      assertEquals(2, r.line());
      assertEquals(List.of("last", "y"), r.next());
      assertEquals(4, r.line());
      assertNull(r.next());
    }
  }

  @Test
  void byteOrderMarkAndBlankLinesAreSkipped() throws Exception {
    try (CsvReader r = reader("\uFEFFid,v\n\n1,2\n")) {
      assertEquals(List.of("id", "v"), r.next());
      assertEquals(List.of("1", "2"), r.next());
      assertEquals(3, r.line());
    }
  }

  @Test
  void unterminatedQuoteIsAnError() {
    DataException e = assertThrows(DataException.class, () -> readAll("a,b\n1,\"open\n2,3\n"));
    assertEquals("t.csv line 2: quoted field 2 is never closed", e.getMessage());
  }

  @Test
  void textAfterClosingQuoteIsAnError() {
    DataException e = assertThrows(DataException.class, () -> readAll("\"ab\"c,d\n"));
    assertEquals("t.csv line 1: text after the closing quote of field 1", e.getMessage());
  }

  @Test
  void quoteInsideUnquotedFieldIsAnError() {
    DataException e = assertThrows(DataException.class, () -> readAll("a,b\nx,y\"z\n"));
    assertEquals("t.csv line 2: quote inside unquoted field 2", e.getMessage());
  }

  @Test
  void emptyInputHasNoRecords() throws IOException, DataException {
    try (CsvReader r = reader("")) {
      assertNull(r.next());
    }
  }
}
