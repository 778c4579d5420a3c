package io.cleanroom.node.data;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a bank node reads its tables from a relational database instead of a CSV folder: a JDBC
 * URL, the credentials of a read-only user, and the schema and names of the tables. The tables hold
 * the same columns as the CSV files ({@link BankFile}); see {@link BankData#load(JdbcSource,
 * String)} for how they are checked.
 *
 * <p>Each table is read with {@code SELECT <columns> FROM "schema"."table" ORDER BY <columns>},
 * each value rendered as the text the CSV file would hold.
 *
 * <p>Rendering by column type (anything else is refused, naming the column and its type):
 *
 * <ul>
 *   <li>character types ({@code text}, {@code varchar}, {@code char}), and {@code uuid}: the text
 *       as stored, for any column;
 *   <li>integer types: the decimal number, for any column but dates and {@code ts};
 *   <li>{@code numeric}/{@code decimal}: the plain decimal with the column's scale ({@code
 *       100.00}), for {@code amount} only; binary floating point is refused because it cannot hold
 *       amounts exactly;
 *   <li>{@code date}: {@code YYYY-MM-DD}, for the date columns;
 *   <li>{@code timestamp with time zone}: ISO-8601 in UTC ({@code 2026-01-01T00:00:00Z}), and
 *       {@code timestamp} without time zone: ISO-8601 without offset (read as Taipei time, as in
 *       the CSV format), for {@code ts}; fractions of a second only when not zero.
 * </ul>
 *
 * SQL NULL reads as an empty value, so that a NULL in a required column is refused ("value is
 * NULL") and one in an optional column is accepted.
 *
 * <p>Rows are ordered by the table's key column ({@code customer_id}, {@code account_id}, {@code
 * customer_id, device_id}, {@code txn_id}, {@code account_id}) and then by every other column read,
 * text compared by code point ({@code COLLATE "C"} on PostgreSQL), so that reading order, row
 * numbers in messages and the digest do not depend on how the database stores the rows.
 *
 * <p>The digest is the SHA-256 of the rows rendered as the canonical CSV file: a header of the
 * columns read in {@link BankFile#columns()} order, then one record per row in reading order,
 * fields separated by {@code ,}, quoted as RFC 4180 requires (only a field holding {@code ,},
 * {@code "}, CR or LF is quoted, with {@code "} doubled), NULL as an empty field, each record
 * ending in LF, encoded in UTF-8. A CSV file written that way from the same rows has the same
 * SHA-256.
 *
 * <p>The node ships PostgreSQL's driver, so {@code url} is a {@code jdbc:postgresql:} URL unless
 * another driver is put on the class path.
 *
 * @param url the JDBC URL, e.g. {@code jdbc:postgresql://db.bank-a.internal:5432/aml}
 * @param user the database user
 * @param password the user's password, or {@code null} when the database authenticates otherwise
 *     (e.g. a client certificate named in the URL); never printed by {@link #toString()}
 * @param schema the schema holding the tables, or {@code null} for the connection's current schema
 * @param tables table names by {@link BankFile}; a file without an entry is read from the table
 *     named {@link BankFile#tableName()}
 */
public record JdbcSource(
    String url, String user, String password, String schema, Map<BankFile, String> tables) {

  /** Checks that url and user are given and copies the table names. */
  public JdbcSource {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    EnumMap<BankFile, String> copy = new EnumMap<>(BankFile.class);
    if (tables != null) {
      copy.putAll(tables);
    }
    tables = Map.copyOf(copy);
  }

  /** The name of the table holding {@code file}'s rows, without the schema. */
  public String table(BankFile file) {
    return tables.getOrDefault(file, file.tableName());
  }

  /** The source without its password, which must not reach logs. */
  @Override
  public String toString() {
    return "JdbcSource[url="
        + url
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "(hidden)")
        + ", schema="
        + schema
        + ", tables="
        + tables
        + "]";
  }
}
