package io.cleanroom.node.data;

/** Checks the records of {@code devices.csv} and adds them to a {@link Customers.Builder}. */
final class DeviceRows implements RowSink {
  private final Customers.Builder customers;
  private final boolean checkCustomers;
  private int customer;
  private int device;

  /**
   * @param checkCustomers whether every customer id should be in {@code customers}; not when
   *     customers.csv could not be read whole, to avoid one error per device
   */
  DeviceRows(Customers.Builder customers, boolean checkCustomers) {
    this.customers = customers;
    this.checkCustomers = checkCustomers;
  }

  @Override
  public void header(RowReader file) {
    customer = file.column("customer_id");
    device = file.column("device_id");
  }

  @Override
  public void row(RowReader file) {
    String customerId = file.required(customer, "customer_id");
    String deviceId = Identifiers.normaliseDevice(file.get(device));
    if (deviceId.isEmpty()) {
      file.problem("device_id", "value is empty");
    }
    if (customerId == null) {
      return;
    }
    int c = customers.indexOf(customerId);
    if (c < 0) {
      if (checkCustomers) {
        file.problem("customer_id", "no such customer in " + file.nameOf(BankFile.CUSTOMERS));
      }
    } else if (!deviceId.isEmpty()) {
      customers.addDevice(c, deviceId);
    }
  }
}
