package io.cleanroom.testbed.generate;

import io.cleanroom.node.data.BankFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes one bank's customers.csv, devices.csv and accounts.csv, rows in id order.
 *
 * <p>Banks record the same identifier differently, so linkage has to normalise before it matches
 * (DATA-FORMAT.md): each bank writes phone numbers mostly in its own style ({@code 0912345678},
 * {@code +886 912 345 678} or {@code 0912-345-678}), one bank in four keeps e-mail addresses in
 * upper case, and some customers typed theirs capitalised. Every such choice is a hash of the seed
 * and the row, so files can be written in any order, or at once.
 *
 * <p>Identity links other than the planted ones: the same person at several banks; a few households
 * whose two members share a tablet (a device id), a harmless link.
 */
final class PartyFiles {
  private static final double OWN_PHONE_STYLE = 0.75;
  private static final int PHONE_STYLES = 3;
  private static final int UPPER_CASE_EMAIL_BANK_ONE_IN = 4;
  private static final double CAPITALISED_EMAIL = 0.15;
  private static final double SHARED_HOUSEHOLD_DEVICE = 0.03;

  private static final long SALT_ROW = 21;
  private static final long SALT_BANK_PHONE = 22;
  private static final long SALT_BANK_EMAIL = 23;
  private static final long SALT_HOUSEHOLD = 24;
  private static final long SALT_HERDER_DEVICE = 25;

  private final int bank;
  private final BankLayout layout;
  private final MuleNetworks networks;
  private final People people;
  private final long seed;
  private final CsvLine line = new CsvLine();

  private PartyFiles(int bank, BankLayout layout, MuleNetworks networks, People people, long seed) {
    this.bank = bank;
    this.layout = layout;
    this.networks = networks;
    this.people = people;
    this.seed = seed;
  }

  /** Writes the three files of {@code bank} into {@code dir}. */
  static void write(
      Path dir, int bank, BankLayout layout, MuleNetworks networks, People people, long seed)
      throws IOException {
    PartyFiles files = new PartyFiles(bank, layout, networks, people, seed);
    try (CsvOut customers = open(dir, BankFile.CUSTOMERS);
        CsvOut devices = open(dir, BankFile.DEVICES)) {
      files.customers(customers, devices);
    }
    try (CsvOut accounts = open(dir, BankFile.ACCOUNTS)) {
      files.accounts(accounts);
    }
  }

  private void customers(CsvOut customers, CsvOut devices) throws IOException {
    long bankPhone = Draw.hash(seed, SALT_BANK_PHONE, bank);
    int phoneStyle = (int) Long.remainderUnsigned(bankPhone, PHONE_STYLES);
    boolean upperCaseEmail =
        Long.remainderUnsigned(Draw.hash(seed, SALT_BANK_EMAIL, bank), UPPER_CASE_EMAIL_BANK_ONE_IN)
            == 0;
    for (int number = 1; number <= layout.customers(bank); number++) {
      int c = layout.customerAt(bank, number);
      int person = layout.personOf(bank, c);
      Person p = people.get(person);
      String phone = p.phone();
      String email = p.email();
      int shares = 0;
      int network = -1;
      if (c < layout.mules(bank)) {
        // Mule customer k holds the bank's mule account k.
        int account = layout.offset(bank) + c;
        shares = networks.shares(account);
        network = networks.network(account);
        People.Contact herder = people.outsider(network);
        phone = (shares & MuleNetworks.SHARES_PHONE) != 0 ? herder.phone() : phone;
        email = (shares & MuleNetworks.SHARES_EMAIL) != 0 ? herder.email() : email;
      }
      long h = Draw.hash(seed, SALT_ROW, (long) bank << 32 | c);
      int style =
          Draw.unit(h) < OWN_PHONE_STYLE
              ? phoneStyle
              : (int) Long.remainderUnsigned(h >>> 8, PHONE_STYLES);
      if (upperCaseEmail) {
        email = email.toUpperCase(Locale.ROOT);
      } else if (Draw.unit(Draw.mix(h)) < CAPITALISED_EMAIL) {
        email = capitalised(email);
      }
      line.reset();
      layout.customerId(line, bank, c).comma();
      line.text(p.nationalId()).comma().text(email).comma();
      phone(phone, style).comma().text(p.birthDate()).comma();
      line.ch(p.gender()).comma().text(p.nationality()).comma().text(p.region()).end();
      customers.write(line);

      for (int d = 0; d < p.devices(); d++) {
        device(devices, c, Draw.mix(seed ^ Draw.mix(4L * person + d + 1)));
      }
      long household = Draw.hash(seed, SALT_HOUSEHOLD, person >> 1);
      if (Draw.unit(household) < SHARED_HOUSEHOLD_DEVICE) {
        device(devices, c, Draw.mix(household));
      }
      if ((shares & MuleNetworks.SHARES_DEVICE) != 0) {
        device(devices, c, Draw.hash(seed, SALT_HERDER_DEVICE, network));
      }
    }
  }

  private void accounts(CsvOut out) throws IOException {
    for (int number = 1; number <= layout.size(bank); number++) {
      int local = layout.accountAt(bank, number);
      int account = layout.offset(bank) + local;
      line.reset();
      layout.accountId(line, account).comma();
      layout.customerId(line, bank, layout.customerOf(bank, local)).comma();
      line.text(Window.date(layout.opened(account))).end();
      out.write(line);
    }
  }

  private CsvLine phone(String phone, int style) {
    if (phone.isEmpty() || style == 0) {
      return line.text(phone);
    }
    if (style == 1) {
      line.text("+886 ").text(phone.substring(1, 4)).ch(' ');
      return line.text(phone.substring(4, 7)).ch(' ').text(phone.substring(7));
    }
    line.text(phone.substring(0, 4)).ch('-').text(phone.substring(4, 7)).ch('-');
    return line.text(phone.substring(7));
  }

  private void device(CsvOut out, int customer, long id) throws IOException {
    line.reset();
    layout.customerId(line, bank, customer).comma().text("dev-").hex(id).end();
    out.write(line);
  }

  /** {@code chen.123@example.com} as some people type it: {@code Chen.123@Example.com}. */
  private static String capitalised(String email) {
    int at = email.indexOf('@');
    if (email.isEmpty() || at < 0 || at + 1 >= email.length()) {
      return email;
    }
    return Character.toUpperCase(email.charAt(0))
        + email.substring(1, at + 1)
        + Character.toUpperCase(email.charAt(at + 1))
        + email.substring(at + 2);
  }

  private static CsvOut open(Path dir, BankFile file) throws IOException {
    return CsvOut.open(dir.resolve(file.fileName()), file.columns());
  }
}
