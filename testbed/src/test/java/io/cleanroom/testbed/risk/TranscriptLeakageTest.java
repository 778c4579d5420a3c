package io.cleanroom.testbed.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cleanroom.node.data.BankData;
import io.cleanroom.node.data.Customers;
import io.cleanroom.protocol.study.Tasks;
import io.cleanroom.testbed.generate.Generator;
import io.cleanroom.testbed.generate.GeneratorOptions;
import io.cleanroom.testbed.local.LocalTestbed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a linked-risk study with transcripts and searches every byte each party received for every
 * other bank's plaintext identifiers, account numbers and amounts (as text and as 8-byte binary
 * encodings): a bank must receive none of another bank's, the coordinator none at all.
 */
class TranscriptLeakageTest {

  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  @TempDir Path temp;

  @Test
  void noPartyReceivesAnotherBanksPlaintext() throws Exception {
    Path data = temp.resolve("data");
    Generator.generate(data, GeneratorOptions.of(3, 1500, 5));
    Path transcripts = temp.resolve("transcripts");
    Map<String, Object> summary =
        LocalTestbed.run(
            LocalTestbed.Options.of(data, temp.resolve("out"), true)
                .withTask(Tasks.LINKED_RISK, Map.of())
                .withTranscripts(transcripts),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals("DESTROYED", summary.get("state"), String.valueOf(summary.get("abort_reason")));

    for (String bank : BANKS) {
      ByteSearch secrets = plaintextOf(data, bank);
      assertTrue(
          secrets.size() > 3000, bank + " has only " + secrets.size() + " values to look for");
      // the search works: the bank's own files contain its values
      assertFalse(
          secrets.find(Files.readAllBytes(data.resolve(bank).resolve("customers.csv"))).isEmpty());
      for (String receiver : List.of("bank-a", "bank-b", "bank-c", "coordinator")) {
        if (receiver.equals(bank)) {
          continue;
        }
        byte[] received = receivedBy(transcripts.resolve(receiver));
        assertTrue(
            received.length > 1000, receiver + " received almost nothing: " + received.length);
        List<byte[]> found = secrets.find(received);
        assertTrue(
            found.isEmpty(),
            () ->
                receiver
                    + " received "
                    + found.size()
                    + " plaintext values of "
                    + bank
                    + ", e.g. "
                    + ByteSearch.describe(found));
      }
    }
  }

  private static byte[] receivedBy(Path dir) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        all.write(Files.readAllBytes(f));
        all.write(new byte[8]);
      }
    }
    return all.toByteArray();
  }

  /** Every identifier, account number and amount of {@code bank}, raw and normalised. */
  private static ByteSearch plaintextOf(Path data, String bank) throws Exception {
    ByteSearch s = new ByteSearch();
    BankData d = BankData.load(data.resolve(bank), bank);
    Customers c = d.customers();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < c.count(); i++) {
      texts.add(c.nationalId(i));
      texts.add(c.email(i));
      texts.add(c.phone(i));
      texts.addAll(c.devices(i));
    }
    for (String line : Files.readAllLines(data.resolve(bank).resolve("customers.csv"))) {
      texts.addAll(List.of(line.split(",")));
    }
    for (int a = 0; a < d.accountCount(); a++) {
      texts.add(d.accountId(a));
      texts.add(bank + "/" + d.accountId(a));
    }
    List<String> tx = Files.readAllLines(data.resolve(bank).resolve("transactions.csv"));
    int amount = List.of(tx.get(0).split(",")).indexOf("amount");
    for (String line : tx.subList(1, tx.size())) {
      String a = line.split(",")[amount];
      texts.add(a);
      double v = Double.parseDouble(a);
      for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
        s.addBinary(ByteBuffer.allocate(8).order(order).putDouble(v).array());
        s.addBinary(ByteBuffer.allocate(8).order(order).putLong(Math.round(v * (1 << 20))).array());
        s.addBinary(ByteBuffer.allocate(8).order(order).putLong(Math.round(v * 100)).array());
      }
    }
    for (String t : texts) {
      if (t != null && t.length() >= ByteSearch.MIN) {
        s.add(t.getBytes(StandardCharsets.UTF_8));
      }
    }
    return s;
  }
}
