package io.cleanroom.testbed.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.Customers;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.Datasets;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole linked-risk studies against the plaintext reference on the same files. */
class LinkedRiskStudyTest {

  @TempDir Path temp;

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> risk(Map<String, Object> summary) {
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));
    return (Map<String, Object>) summary.get("risk");
  }

  @Test
  void generatedData_matchesReferenceAndPlaintextIdentityClusters() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 3000, 11));
    Path out = temp.resolve("out");
    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, out, true).withTask(Tasks.LINKED_RISK, Map.of()),
            quiet());
    Map<String, Object> risk = risk(summary);
    assertTrue((Double) risk.get("max_abs_error") < 1e-4, "error " + risk.get("max_abs_error"));
    assertEquals(3000, risk.get("accounts"));
    assertTrue((Double) risk.get("hidden_auc") > (Double) risk.get("single_bank_hidden_auc"));

    // Each bank's handles of its accounts are an intermediate result, destroyed with the study's
    // session store; the coordinator's clusters over handles are compared by their sizes.
    List<String> banks = List.of("bank-a", "bank-b", "bank-c");
    Set<Set<String>> plain = plaintextClusters(data, banks);
    assertTrue(plain.size() > 10, "the generated data links few accounts: " + plain.size());
    assertEquals(sizes(plain), studyClusterSizes(out));
    for (String bank : banks) {
      assertFalse(Files.exists(out.resolve("link").resolve(bank + ".csv")), bank + "'s handles");
    }
  }

  @Test
  void amlsimFromTheRepository_matchesReferenceAcrossProcesses() throws Exception {
    Path archive = Path.of("..", "datasets", "amlsim-3bank.tar.gz");
    assertTrue(Files.exists(archive), "the repository's copy of the AMLSim dataset is missing");
    Datasets.unpack(archive, temp);
    Path out = temp.resolve("out");
    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(temp.resolve("amlsim-3bank"), out, false)
                .withTask(Tasks.LINKED_RISK, Map.of()),
            quiet());
    Map<String, Object> risk = risk(summary);
    assertTrue((Double) risk.get("max_abs_error") < 1e-4, "error " + risk.get("max_abs_error"));
    assertEquals(12043, risk.get("accounts"));
    // the dataset's documented figures: federated AUC 0.69, each bank alone 0.52
    assertEquals(0.691, (Double) risk.get("hidden_auc"), 0.005);
    assertEquals(0.519, (Double) risk.get("single_bank_hidden_auc"), 0.005);
  }

  /** The sizes of the study's identity clusters, from the coordinator's clusters over handles. */
  private static List<Integer> studyClusterSizes(Path out) throws IOException {
    Map<String, Integer> clusters = new HashMap<>();
    List<String> lines = Files.readAllLines(out.resolve("link").resolve("clusters.csv"));
    for (String line : lines.subList(1, lines.size())) {
      clusters.merge(line.split(",")[0], 1, Integer::sum);
    }
    return clusters.values().stream().sorted().toList();
  }

  private static List<Integer> sizes(Set<Set<String>> clusters) {
    return clusters.stream().map(Set::size).sorted().toList();
  }

  /** The same clusters computed in plaintext by pooling the files (union-find). */
  private static Set<Set<String>> plaintextClusters(Path data, List<String> banks)
      throws Exception {
    List<String> accounts = new ArrayList<>();
    Map<String, List<Integer>> byIdentifier = new HashMap<>();
    for (String b : banks) {
      BankData d = BankData.load(data.resolve(b), b);
      Customers c = d.customers();
      for (int a = 0; a < d.accountCount(); a++) {
        int g = accounts.size();
        accounts.add(b + "/" + d.accountId(a));
        int cu = d.customerOf(a);
        List<String> ids = new ArrayList<>();
        ids.add("nid:" + c.nationalId(cu));
        if (c.email(cu) != null) {
          ids.add("email:" + c.email(cu));
        }
        if (c.phone(cu) != null) {
          ids.add("phone:" + c.phone(cu));
        }
        for (String dev : c.devices(cu)) {
          ids.add("device:" + dev);
        }
        for (String id : ids) {
          byIdentifier.computeIfAbsent(id, k -> new ArrayList<>()).add(g);
        }
      }
    }
    int[] parent = new int[accounts.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (List<Integer> group : byIdentifier.values()) {
      for (int m : group) {
        parent[find(parent, m)] = find(parent, group.get(0));
      }
    }
    Map<Integer, Set<String>> comps = new HashMap<>();
    for (int i = 0; i < parent.length; i++) {
      comps.computeIfAbsent(find(parent, i), k -> new HashSet<>()).add(accounts.get(i));
    }
    Set<Set<String>> out = new HashSet<>();
    for (Set<String> s : comps.values()) {
      if (s.size() > 1) {
        out.add(s);
      }
    }
    return out;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
