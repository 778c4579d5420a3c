package io.cleanroom.node.data;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One database table read row by row with {@code SELECT <columns> FROM "schema"."table" ORDER BY
 * <columns>}, streamed with a fetch size, each value rendered as the text the CSV file would hold;
 * the column types accepted, their rendering, the order of rows and the digest are described in
 * {@link JdbcSource}.
 */
final class JdbcTableReader extends RowReader {
  /** Fetched per round trip; keeps memory flat however long the table. */
  static final int FETCH_SIZE = 10_000;

  /** Each table's key, which orders its rows first. */
  static final Map<BankFile, List<String>> KEYS =
      Map.of(
          BankFile.CUSTOMERS, List.of("customer_id"),
          BankFile.ACCOUNTS, List.of("account_id"),
          BankFile.DEVICES, List.of("customer_id", "device_id"),
          BankFile.TRANSACTIONS, List.of("txn_id"),
          BankFile.ALERTS, List.of("account_id"));

  private static final List<String> DATES = List.of("birth_date", "opened_on", "flagged_on");
  private static final DateTimeFormatter ISO_LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
  private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /** A column as the database's metadata describes it. */
  record Column(String name, int sqlType, String typeName) {}

  /** How a column's values are rendered as text. */
  private enum Rendering {
    TEXT,
    INTEGER,
    DECIMAL,
    DATE,
    TIMESTAMP,
    TIMESTAMP_TZ
  }

  private final JdbcTables tables;
  private final PreparedStatement statement;
  private final ResultSet rows;
  private final Rendering[] renderings;
  private final String[] values;
  private final boolean[] nulls;
  private final StringBuilder record = new StringBuilder();
  private long row;

  private JdbcTableReader(
      JdbcTables tables,
      BankFile table,
      Problems problems,
      List<String> names,
      List<Column> selected,
      Rendering[] renderings)
      throws SQLException {
    super(tables.label(table), DataException.ROW, problems);
    this.tables = tables;
    this.renderings = renderings;
    this.values = new String[selected.size()];
    this.nulls = new boolean[selected.size()];
    declare(table.requiredColumns(), table.optionalColumns());
    for (int i = 0; i < names.size(); i++) {
      place(names.get(i), i);
    }
    record.append(String.join(",", names)).append('\n');
    digest().update(record.toString().getBytes(StandardCharsets.UTF_8));
    statement =
        tables
            .connection()
            .prepareStatement(
                query(tables, table, names, selected, renderings),
                ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY);
    try {
      statement.setFetchSize(FETCH_SIZE);
      rows = statement.executeQuery();
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  /**
   * Checks the table's columns and starts the query.
   *
   * @param columns the table's columns as the database describes them
   * @return the reader positioned before the first row, or {@code null} if a required column is
   *     missing, a column appears twice (names compare case-insensitively, as in CSV headers) or
   *     has a type that cannot be read, in which case the reasons are recorded in {@code problems}
   */
  static JdbcTableReader open(
      JdbcTables tables, BankFile table, List<Column> columns, Problems problems)
      throws SQLException {
    String label = tables.label(table);
    boolean usable = true;
    List<String> names = new ArrayList<>();
    List<Column> selected = new ArrayList<>();
    List<Rendering> renderings = new ArrayList<>();
    for (String name : table.columns()) {
      List<Column> matches =
          columns.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(name)).toList();
      if (matches.size() > 1) {
        problems.add(label, DataException.ROW, 0, name, "column appears more than once");
        usable = false;
      } else if (matches.isEmpty()) {
        if (!table.optionalColumns().contains(name)) {
          problems.add(label, DataException.ROW, 0, name, "required column is missing");
          usable = false;
        }
      } else {
        Column c = matches.get(0);
        Rendering r = rendering(name, c);
        if (r == null) {
          problems.add(
              label,
              DataException.ROW,
              0,
              name,
              "column has type " + c.typeName() + "; expected " + accepted(name));
          usable = false;
        }
        names.add(name);
        selected.add(c);
        renderings.add(r);
      }
    }
    if (!usable) {
      return null;
    }
    return new JdbcTableReader(
        tables, table, problems, names, selected, renderings.toArray(Rendering[]::new));
  }

  @Override
  boolean next() throws IOException {
    try {
      if (!rows.next()) {
        finish();
        return false;
      }
      row++;
      record.setLength(0);
      for (int i = 0; i < values.length; i++) {
        String value = render(i + 1, renderings[i]);
        nulls[i] = value == null;
        values[i] = value == null ? "" : value;
        if (i > 0) {
          record.append(',');
        }
        appendField(record, values[i]);
      }
      record.append('\n');
      digest().update(record.toString().getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (SQLException e) {
      throw new IOException(
          label() + " row " + (row + 1) + ": database error: " + e.getMessage(), e);
    }
  }

  @Override
  boolean skippedRecords() {
    return false;
  }

  @Override
  long line() {
    return row;
  }

  @Override
  String raw(int column) {
    if (row == 0 || finished()) {
      throw new IllegalStateException("no current row");
    }
    return values[column];
  }

  @Override
  boolean isNull(int column) {
    return nulls[column];
  }

  @Override
  String nameOf(BankFile table) {
    return tables.qualified(table);
  }

  @Override
  public void close() throws IOException {
    try (statement;
        rows) {
      // closing is all
    } catch (SQLException e) {
      throw new IOException(label() + ": database error: " + e.getMessage(), e);
    }
  }

  /** Appends {@code value} as a CSV field, quoted only if it must be. */
  static void appendField(StringBuilder sb, String value) {
    if (value.indexOf(',') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      sb.append(value);
      return;
    }
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  private String render(int index, Rendering rendering) throws SQLException {
    switch (rendering) {
      case TEXT:
        return rows.getString(index);
      case INTEGER:
        long n = rows.getLong(index);
        return rows.wasNull() ? null : Long.toString(n);
      case DECIMAL:
        BigDecimal d = rows.getBigDecimal(index);
        return d == null ? null : d.toPlainString();
      case DATE:
        LocalDate day = rows.getObject(index, LocalDate.class);
        return day == null ? null : day.toString();
      case TIMESTAMP:
        LocalDateTime local = rows.getObject(index, LocalDateTime.class);
        return local == null ? null : ISO_LOCAL.format(local);
      case TIMESTAMP_TZ:
        OffsetDateTime time = rows.getObject(index, OffsetDateTime.class);
        try {
          return time == null
              ? null
              : ISO_OFFSET.format(time.withOffsetSameInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
          // e.g. PostgreSQL's 'infinity': passed on as text, to be refused as not a date-time
          return rows.getString(index);
        }
      default:
        throw new IllegalStateException("unknown rendering " + rendering);
    }
  }

  private static String query(
      JdbcTables tables,
      BankFile table,
      List<String> names,
      List<Column> selected,
      Rendering[] renderings) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < selected.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(JdbcTables.quote(selected.get(i).name()));
    }
    sql.append(" FROM ").append(tables.quotedName(table)).append(" ORDER BY ");
    List<Integer> order = new ArrayList<>();
    for (String key : KEYS.get(table)) {
      order.add(names.indexOf(key));
    }
    for (int i = 0; i < names.size(); i++) {
      if (!order.contains(i)) {
        order.add(i);
      }
    }
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      sql.append(k == 0 ? "" : ", ").append(JdbcTables.quote(selected.get(i).name()));
      if (renderings[i] == Rendering.TEXT
          && tables.postgres()
          && !"uuid".equalsIgnoreCase(selected.get(i).typeName())) {
        sql.append(" COLLATE \"C\"");
      }
    }
    return sql.toString();
  }

  /** How to render column {@code name} of type {@code c}, or {@code null} if it cannot be read. */
  private static Rendering rendering(String name, Column c) {
    int t = c.sqlType();
    String type = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
    boolean text =
        t == Types.CHAR
            || t == Types.VARCHAR
            || t == Types.LONGVARCHAR
            || t == Types.NCHAR
            || t == Types.NVARCHAR
            || t == Types.LONGNVARCHAR
            || type.equals("uuid");
    if (text) {
      return Rendering.TEXT;
    }
    boolean integer =
        t == Types.TINYINT || t == Types.SMALLINT || t == Types.INTEGER || t == Types.BIGINT;
    if (DATES.contains(name)) {
      return t == Types.DATE ? Rendering.DATE : null;
    }
    if (name.equals("ts")) {
      if (t == Types.TIMESTAMP_WITH_TIMEZONE || type.equals("timestamptz")) {
        return Rendering.TIMESTAMP_TZ;
      }
      return t == Types.TIMESTAMP ? Rendering.TIMESTAMP : null;
    }
    if (integer) {
      return Rendering.INTEGER;
    }
    if (name.equals("amount") && (t == Types.NUMERIC || t == Types.DECIMAL)) {
      return Rendering.DECIMAL;
    }
    return null;
  }

  /** The types {@link #rendering} accepts for column {@code name}, for the message. */
  private static String accepted(String name) {
    if (DATES.contains(name)) {
      return "date or a character type";
    }
    if (name.equals("ts")) {
      return "timestamp, timestamp with time zone or a character type";
    }
    if (name.equals("amount")) {
      return "numeric, an integer type or a character type (not floating point)";
    }
    return "a character type or an integer type";
  }
}
