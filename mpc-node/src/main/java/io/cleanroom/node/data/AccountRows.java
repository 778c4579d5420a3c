package io.cleanroom.node.data;

import java.util.Arrays;

/** Checks the records of {@code accounts.csv} and numbers the accounts in file order. */
final class AccountRows implements RowSink {
  private final Customers.Builder customers;
  private final boolean checkCustomers;
  private final KeyTable ids = new KeyTable();
  private int[] lines = new int[16];
  private int[] customerOf = new int[16];
  private int[] openedOn = new int[16];
  private int id;
  private int customer;
  private int opened;

  /**
   * @param checkCustomers whether every customer id should be in {@code customers}; not when
   *     customers.csv could not be read whole, to avoid one error per account
   */
  AccountRows(Customers.Builder customers, boolean checkCustomers) {
    this.customers = customers;
    this.checkCustomers = checkCustomers;
  }

  @Override
  public void header(RowReader file) {
    id = file.column("account_id");
    customer = file.column("customer_id");
    opened = file.column("opened_on");
  }

  @Override
  public void row(RowReader file) {
    String accountId = file.required(id, "account_id");
    String customerId = file.required(customer, "customer_id");
    int day = file.date(opened, "opened_on", false);
    int c = customerId == null ? -1 : customers.indexOf(customerId);
    if (customerId != null && c < 0 && checkCustomers) {
      file.problem("customer_id", "no such customer in " + file.nameOf(BankFile.CUSTOMERS));
    }
    if (accountId == null) {
      return;
    }
    int before = ids.size();
    int a = ids.add(0, accountId);
    if (ids.size() == before) {
      file.problem("account_id", "duplicate account_id, first on " + file.unit() + " " + lines[a]);
      return;
    }
    if (a == lines.length) {
      int size = a + (a >> 1);
      lines = Arrays.copyOf(lines, size);
      customerOf = Arrays.copyOf(customerOf, size);
      openedOn = Arrays.copyOf(openedOn, size);
    }
    lines[a] = (int) Math.min(file.line(), Integer.MAX_VALUE);
    customerOf[a] = c;
    openedOn[a] = day;
  }

  /** The account ids, numbered in file order. */
  KeyTable ids() {
    return ids;
  }

  /** The line on which account {@code a} was defined. */
  int line(int a) {
    return lines[a];
  }

  /** Each account's customer index, trimmed to the number of accounts. */
  int[] customerOf() {
    return Arrays.copyOf(customerOf, ids.size());
  }

  /** Each account's opening date as an epoch day, trimmed to the number of accounts. */
  int[] openedOn() {
    return Arrays.copyOf(openedOn, ids.size());
  }
}
