package io.cleanroom.testbed.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cleanroom.node.config.NodeConfig;
import io.cleanroom.node.data.BankData;
import io.cleanroom.node.testing.KeyOrder;
import io.cleanroom.node.testing.PostgresServer;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fraud study whose nodes read their banks from PostgreSQL gives the same outputs as the same
 * study over the CSV folders holding the same rows.
 */
class DatabaseInputStudyTest {
  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");
  private static final String PASSWORD = "reader password";

  @TempDir static Path temp;
  private static PostgresServer db;

  @BeforeAll
  static void startDatabase() throws Exception {
    db = PostgresServer.start();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void fraudStudy_overDatabase_equalsStudyOverCsv() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 4500, 17));
    Path passwordFile = temp.resolve("db-password");
    Files.writeString(passwordFile, PASSWORD + "\n");
    Map<String, NodeConfig.Jdbc> databases = new HashMap<>();
    for (String bank : BANKS) {
      // The rows in the order the database gives them, so that digests match too.
      KeyOrder.sort(data.resolve(bank));
      String schema = bank.replace('-', '_');
      db.loadBank(schema, data.resolve(bank));
      String user = schema + "_reader";
      db.createReader(user, PASSWORD, schema);
      databases.put(
          bank,
          new NodeConfig.Jdbc(
              db.url("cleanroom"),
              user,
              passwordFile.toAbsolutePath().toString(),
              null,
              schema,
              null));
      assertEquals(
          BankData.load(data.resolve(bank), bank).digest(),
          BankData.load(db.source(user, PASSWORD, schema), bank).digest());
    }

    Path csvOut = temp.resolve("csv");
    Path dbOut = temp.resolve("db");
    Map<String, Object> overCsv =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, csvOut, true).withTask(Tasks.FRAUD_STUDY, Map.of()),
            quiet());
    Map<String, Object> overDb =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, dbOut, true)
                .withTask(Tasks.FRAUD_STUDY, Map.of())
                .withDatabases(databases),
            quiet());
    assertEquals("DESTROYED", overCsv.get("state"), String.valueOf(overCsv.get("abort_reason")));
    assertEquals("DESTROYED", overDb.get("state"), String.valueOf(overDb.get("abort_reason")));
    for (String bank : BANKS) {
      String config = Files.readString(dbOut.resolve("config").resolve(bank + ".yaml"));
      assertTrue(config.contains("jdbc:"), config);
    }

    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(csvOut.resolve("summary.json").toFile());
    JsonNode b = json.readTree(dbOut.resolve("summary.json").toFile());
    // Counts are exact, so the same input gives the same figures. Linked risk carries the noise of
    // probabilistic truncation (about 1e-6), and the model is trained in mini-batches drawn from
    // the study's random id: both are compared with the plaintext reference on the same rows, and
    // risk value for value.
    assertEquals(withoutModel(a.get("totals")), withoutModel(b.get("totals")));
    for (JsonNode risk : List.of(a.get("risk"), b.get("risk"))) {
      // Against the plaintext reference computed from the CSV files.
      assertEquals(4500, risk.get("accounts").asInt());
      assertTrue(risk.get("max_abs_error").asDouble() < 1e-4, risk.toString());
    }
    for (JsonNode model : List.of(a.get("model"), b.get("model"))) {
      assertEquals(4500, model.get("rows").asInt());
      double secure = model.get("auc_secure").asDouble();
      double plain = model.get("auc_plaintext").asDouble();
      assertTrue(Math.abs(secure - plain) <= 0.005, "AUC secure " + secure + ", plain " + plain);
      assertTrue(model.get("weight_cosine").asDouble() >= 0.99, model.toString());
    }

    for (String bank : BANKS) {
      String risk = "risk/" + bank + ".csv";
      assertSameValues(
          Files.readAllLines(csvOut.resolve(risk)), Files.readAllLines(dbOut.resolve(risk)));
      String features = "model/features/" + bank + ".csv";
      // Each bank writes its rows in a private random order.
      assertSameValues(byAccount(csvOut.resolve(features)), byAccount(dbOut.resolve(features)));
      String scores = "scores/" + bank + ".csv";
      assertEquals(firstColumn(csvOut.resolve(scores)), firstColumn(dbOut.resolve(scores)));
    }
    // The provenance names the same data: each bank's digest of its rows.
    Map<String, String> csvDigests =
        digests(json.readTree(csvOut.resolve("model/joint-model.json").toFile()));
    Map<String, String> dbDigests =
        digests(json.readTree(dbOut.resolve("model/joint-model.json").toFile()));
    assertEquals(3, csvDigests.size(), csvDigests.toString());
    assertEquals(csvDigests, dbDigests);
    for (String bank : BANKS) {
      assertEquals(
          BankData.load(data.resolve(bank), bank).digest(), dbDigests.get("data_digest." + bank));
    }
  }

  private static JsonNode withoutModel(JsonNode totals) {
    ObjectNode copy = totals.deepCopy();
    List<String> names = new ArrayList<>();
    copy.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (name.startsWith("weight/") || name.equals("intercept")) {
        copy.remove(name);
      }
    }
    assertTrue(copy.size() > 0, totals.toString());
    return copy;
  }

  /** Same lines, fields equal or, where numbers, within 1e-5 of each other. */
  private static void assertSameValues(List<String> x, List<String> y) {
    assertEquals(x.size(), y.size());
    assertTrue(x.size() > 100, "only " + x.size() + " lines");
    for (int i = 0; i < x.size(); i++) {
      String[] f = x.get(i).split(",", -1);
      String[] g = y.get(i).split(",", -1);
      assertEquals(f.length, g.length, "line " + (i + 1));
      for (int k = 0; k < f.length; k++) {
        if (f[k].equals(g[k])) {
          continue;
        }
        String where = "line " + (i + 1) + ": " + x.get(i) + " vs " + y.get(i);
        assertTrue(f[k].matches("-?[0-9.Ee+-]+"), where);
        assertEquals(Double.parseDouble(f[k]), Double.parseDouble(g[k]), 1e-5, where);
      }
    }
  }

  /** The file's lines sorted by their first field, the account id. */
  private static List<String> byAccount(Path file) throws Exception {
    return Files.readAllLines(file).stream()
        .sorted(Comparator.comparing(l -> l.split(",", 2)[0]))
        .toList();
  }

  private static List<String> firstColumn(Path file) throws Exception {
    return Files.readAllLines(file).stream().map(l -> l.split(",")[0]).sorted().toList();
  }

  /** Every {@code data_digest.<bank>} field anywhere in a JSON document. */
  private static Map<String, String> digests(JsonNode node) {
    Map<String, String> found = new TreeMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith("data_digest.")) {
                found.put(e.getKey(), e.getValue().asText());
              } else if (e.getValue().isObject()) {
                found.putAll(digests(e.getValue()));
              }
            });
    return found;
  }
}
