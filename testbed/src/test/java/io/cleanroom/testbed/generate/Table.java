package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.CsvReader;
import io.cleanroom.node.data.DataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A whole CSV file in memory, for checking small generated datasets. */
final class Table {
  private Table() {}

  static List<Map<String, String>> read(Path file) throws IOException, DataException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (CsvReader r =
        new CsvReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.toString())) {
      List<String> header = r.next();
      for (List<String> rec; (rec = r.next()) != null; ) {
        if (rec.size() != header.size()) {
          throw new AssertionError(file + " line " + r.line() + " has " + rec.size() + " fields");
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          row.put(header.get(i), rec.get(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static List<String> header(Path file) throws IOException {
    try (var lines = Files.lines(file)) {
      return List.of(lines.findFirst().orElseThrow().split(","));
    }
  }
}
