package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Writes one bank's customers.csv, accounts.csv and devices.csv. */
final class PartyFiles {
  private static final double INTERNATIONAL_PHONE = 0.15;
  private static final double MULE_RECENTLY_OPENED = 0.6;
  private static final int OPENED_RANGE_DAYS = 14 * 365;
  private static final int RECENT_DAYS = 180;

  private PartyFiles() {}

  /** Writes the three files of {@code bank} into {@code dir}. */
  static void write(
      Path dir,
      int bank,
      BankLayout layout,
      MuleRings rings,
      People people,
      long seed,
      SplittableRandom rng)
      throws IOException {
    writeCustomers(dir, bank, layout, people, rng);
    writeAccounts(dir, bank, layout, rings, rng);
    writeDevices(dir, bank, layout, rings, people, seed);
  }

  private static void writeCustomers(
      Path dir, int bank, BankLayout layout, People people, SplittableRandom rng)
      throws IOException {
    StringBuilder sb = new StringBuilder(160);
    try (Writer w = open(dir, BankFile.CUSTOMERS)) {
      for (int c = 0; c < layout.customers(bank); c++) {
        Person p = people.get(layout.personOf(bank, c));
        // Banks record the same number differently; linkage must normalise before matching.
        String phone = rng.nextDouble() < INTERNATIONAL_PHONE ? p.internationalPhone() : p.phone();
        sb.setLength(0);
        customerId(sb, c).append(',');
        sb.append(p.nationalId()).append(',').append(p.email()).append(',');
        sb.append(phone).append(',').append(p.birthDate()).append(',');
        sb.append(p.gender()).append(',').append(p.nationality()).append(',');
        sb.append(p.region()).append('\n');
        w.write(sb.toString());
      }
    }
  }

  private static void writeAccounts(
      Path dir, int bank, BankLayout layout, MuleRings rings, SplittableRandom rng)
      throws IOException {
    long start = SimpleGenerator.START.toEpochDay();
    StringBuilder sb = new StringBuilder(64);
    try (Writer w = open(dir, BankFile.ACCOUNTS)) {
      for (int i = 0; i < layout.size(bank); i++) {
        // Mule accounts tend to be freshly opened (a weak signal a model may pick up).
        boolean recent =
            rings.isMule(layout.offset(bank) + i) && rng.nextDouble() < MULE_RECENTLY_OPENED;
        long opened =
            start - 1 - (recent ? rng.nextInt(RECENT_DAYS) : rng.nextInt(OPENED_RANGE_DAYS));
        sb.setLength(0);
        CsvOut.id(sb, 'A', i + 1L, 6).append(',');
        customerId(sb, layout.customerOf(bank, i)).append(',');
        sb.append(CsvOut.date(opened)).append('\n');
        w.write(sb.toString());
      }
    }
  }

  private static void writeDevices(
      Path dir, int bank, BankLayout layout, MuleRings rings, People people, long seed)
      throws IOException {
    StringBuilder sb = new StringBuilder(64);
    try (Writer w = open(dir, BankFile.DEVICES)) {
      int previousCustomer = -1;
      int previousRing = 0;
      // A customer's accounts are consecutive, so walking accounts visits customers in order.
      for (int i = 0; i < layout.size(bank); i++) {
        int c = layout.customerOf(bank, i);
        if (c != previousCustomer) {
          previousCustomer = c;
          previousRing = 0;
          int person = layout.personOf(bank, c);
          int devices = people.get(person).devices();
          for (int d = 0; d < devices; d++) {
            line(w, sb, c, Draw.mix(seed ^ Draw.mix(4L * person + d + 1)));
          }
        }
        int ring = rings.ringDevice(layout.offset(bank) + i);
        if (ring != 0 && ring != previousRing) {
          previousRing = ring;
          // Negative inputs keep ring devices apart from personal ones.
          line(w, sb, c, Draw.mix(seed ^ Draw.mix(-ring)));
        }
      }
    }
  }

  private static void line(Writer w, StringBuilder sb, int customer, long device)
      throws IOException {
    sb.setLength(0);
    customerId(sb, customer).append(",dev-");
    String hex = Long.toHexString(device);
    sb.append("0".repeat(16 - hex.length())).append(hex).append('\n');
    w.write(sb.toString());
  }

  private static StringBuilder customerId(StringBuilder sb, int customer) {
    return CsvOut.id(sb, 'C', customer + 1L, 6);
  }

  private static Writer open(Path dir, BankFile file) throws IOException {
    return CsvOut.open(dir.resolve(file.fileName()), file.columns());
  }
}
