package io.cleanroom.testbed.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A small generated dataset read back whole, keyed as {@code bank/id}, with the identifier
 * normalisation of DATA-FORMAT.md, so tests can check what the files say rather than what the
 * generator meant.
 */
final class Dataset {
  final List<String> banks;
  final Map<String, Map<String, String>> customers = new HashMap<>();
  final Map<String, Map<String, String>> accounts = new HashMap<>();
  final Map<String, List<String>> devices = new HashMap<>();
  final Map<String, Map<String, String>> alerts = new HashMap<>();
  final Set<String> mules = new HashSet<>();

  /** Distinct transfers by txn id, in id order. */
  final Map<String, Map<String, String>> transactions = new TreeMap<>();

  private Dataset(List<String> banks) {
    this.banks = List.copyOf(banks);
  }

  static Dataset read(Path root, List<String> banks) throws Exception {
    Dataset d = new Dataset(banks);
    for (String bank : banks) {
      Path dir = root.resolve(bank);
      for (Map<String, String> c : Table.read(dir.resolve("customers.csv"))) {
        d.customers.put(key(bank, c.get("customer_id")), c);
      }
      for (Map<String, String> a : Table.read(dir.resolve("accounts.csv"))) {
        d.accounts.put(key(bank, a.get("account_id")), a);
      }
      for (Map<String, String> v : Table.read(dir.resolve("devices.csv"))) {
        d.devices
            .computeIfAbsent(key(bank, v.get("customer_id")), k -> new ArrayList<>())
            .add(v.get("device_id"));
      }
      for (Map<String, String> a : Table.read(dir.resolve("alerts.csv"))) {
        d.alerts.put(key(bank, a.get("account_id")), a);
      }
      for (Map<String, String> t : Table.read(dir.resolve("transactions.csv"))) {
        d.transactions.put(t.get("txn_id"), t);
      }
    }
    for (Map<String, String> row : Table.read(root.resolve("truth.csv"))) {
      if (row.get("is_mule").equals("1")) {
        d.mules.add(key(row.get("bank"), row.get("account_id")));
      }
    }
    return d;
  }

  static String key(String bank, String id) {
    return bank + "/" + id;
  }

  static String bankOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  static String from(Map<String, String> t) {
    return key(t.get("from_bank"), t.get("from_account"));
  }

  static String to(Map<String, String> t) {
    return key(t.get("to_bank"), t.get("to_account"));
  }

  /** The customer row holding an account. */
  Map<String, String> holder(String account) {
    return customers.get(key(bankOf(account), accounts.get(account).get("customer_id")));
  }

  /** The normalised identifiers of an account's holder, each prefixed by its kind. */
  Set<String> identifiers(String account) {
    Map<String, String> c = holder(account);
    Set<String> ids = new HashSet<>();
    ids.add("national_id:" + c.get("national_id").strip().toUpperCase(Locale.ROOT));
    String email = c.get("email").strip().toLowerCase(Locale.ROOT);
    if (!email.isEmpty()) {
      ids.add("email:" + email);
    }
    String phone = normalisePhone(c.get("phone"));
    if (!phone.isEmpty()) {
      ids.add("phone:" + phone);
    }
    String customer = key(bankOf(account), accounts.get(account).get("customer_id"));
    for (String device : devices.getOrDefault(customer, List.of())) {
      ids.add("device:" + device.strip());
    }
    return ids;
  }

  /** Transfers grouped by the account receiving them, each group in time order. */
  Map<String, List<Map<String, String>>> incoming() {
    Map<String, List<Map<String, String>>> in = new LinkedHashMap<>();
    for (Map<String, String> t : transactions.values()) {
      in.computeIfAbsent(to(t), k -> new ArrayList<>()).add(t);
    }
    return in;
  }

  static String normalisePhone(String phone) {
    String digits = phone.replaceAll("[^0-9]", "");
    return digits.startsWith("886") ? "0" + digits.substring(3) : digits;
  }
}
