package io.cleanroom.node.data;

import java.util.Locale;
import java.util.Set;

/**
 * Checks the records of {@code customers.csv} and collects them into a {@link Customers.Builder}.
 */
final class CustomerRows implements RowSink {
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  private final Customers.Builder customers;
  private int id;
  private int nationalId;
  private int email;
  private int phone;
  private int birthDate;
  private int gender;
  private int nationality;
  private int region;

  CustomerRows(Customers.Builder customers) {
    this.customers = customers;
  }

  @Override
  public void header(RowReader file) {
    id = file.column("customer_id");
    nationalId = file.column("national_id");
    email = file.column("email");
    phone = file.column("phone");
    birthDate = file.column("birth_date");
    gender = file.column("gender");
    nationality = file.column("nationality");
    region = file.column("region");
  }

  @Override
  public void row(RowReader file) {
    String customerId = file.required(id, "customer_id");
    String nid = Identifiers.normaliseNationalId(file.get(nationalId));
    if (nid.isEmpty()) {
      file.problem("national_id", "value is empty");
    }
    int born = file.date(birthDate, "birth_date", true);
    Gender g = null;
    String genderText = file.required(gender, "gender");
    if (genderText != null && (g = Gender.parse(genderText)) == null) {
      file.problem("gender", DataException.quote(genderText) + " is not F, M or X");
    }
    String country = file.required(nationality, "nationality");
    if (country != null && !COUNTRIES.contains(country)) {
      file.problem(
          "nationality", DataException.quote(country) + " is not an ISO 3166 alpha-2 country code");
    }
    if (customerId == null) {
      return;
    }
    int c = customers.add(customerId, file.line());
    if (c < 0) {
      file.problem(
          "customer_id",
          "duplicate customer_id, first on " + file.unit() + " " + customers.line(-1 - c));
      return;
    }
    customers.set(
        c,
        nid,
        Identifiers.normaliseEmail(file.get(email)),
        Identifiers.normalisePhone(file.get(phone)),
        born,
        g,
        country == null ? "" : country,
        file.get(region));
  }
}
