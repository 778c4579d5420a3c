package io.cleanroom.node.data;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A bank's tables in a relational database, all read inside one read-only {@code REPEATABLE READ}
 * transaction: every table, and the second pass over transactions, sees the same snapshot even
 * while the bank's systems keep writing. The transaction is rolled back on {@link #close()}; it
 * never writes anything.
 */
final class JdbcTables implements BankTables {
  private final JdbcSource source;
  private final String bankId;
  private final Connection connection;
  private final String schema;
  private final boolean postgres;

  private JdbcTables(JdbcSource source, String bankId, Connection connection, String schema)
      throws SQLException {
    this.source = source;
    this.bankId = bankId;
    this.connection = connection;
    this.schema = schema;
    this.postgres =
        "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
  }

  /**
   * Connects and starts the read-only transaction.
   *
   * @throws IOException if the database cannot be reached, refuses the user, or cannot give a
   *     read-only repeatable-read transaction
   */
  static JdbcTables connect(JdbcSource source, String bankId) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("user", source.user());
    if (source.password() != null) {
      properties.setProperty("password", source.password());
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(source.url(), properties);
    } catch (SQLException e) {
      throw new IOException(
          bankId
              + ": cannot connect to "
              + source.url()
              + " as "
              + source.user()
              + ": "
              + e.getMessage(),
          e);
    }
    try {
      // Set before the first statement, which starts the transaction.
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      String schema = source.schema() != null ? source.schema() : connection.getSchema();
      if (schema == null) {
        throw new SQLException("the connection has no current schema; set data.jdbc.schema");
      }
      return new JdbcTables(source, bankId, connection, schema);
    } catch (SQLException e) {
      try {
        connection.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IOException(
          bankId + ": cannot start a read-only transaction on " + source.url() + ": " + e, e);
    }
  }

  @Override
  public String label(BankFile table) {
    return bankId + "/" + qualified(table);
  }

  @Override
  public String noun() {
    return "table";
  }

  @Override
  public boolean exists(BankFile table) throws IOException {
    try {
      DatabaseMetaData meta = connection.getMetaData();
      try (ResultSet rs =
          meta.getTables(null, pattern(meta, schema), pattern(meta, source.table(table)), null)) {
        while (rs.next()) {
          if (schema.equals(rs.getString("TABLE_SCHEM"))
              && source.table(table).equals(rs.getString("TABLE_NAME"))) {
            return true;
          }
        }
        return false;
      }
    } catch (SQLException e) {
      throw failure(table, e);
    }
  }

  @Override
  public RowReader open(BankFile table, Problems problems) throws IOException {
    try {
      return JdbcTableReader.open(this, table, columns(table), problems);
    } catch (SQLException e) {
      throw failure(table, e);
    }
  }

  @Override
  public void close() throws IOException {
    try (connection) {
      connection.rollback();
    } catch (SQLException e) {
      throw new IOException(bankId + ": cannot end the transaction on " + source.url(), e);
    }
  }

  /** The connection, inside the transaction. */
  Connection connection() {
    return connection;
  }

  /** Whether the database is PostgreSQL, whose {@code "C"} collation orders text by code point. */
  boolean postgres() {
    return postgres;
  }

  /** {@code schema.table} as the operator writes it, for messages. */
  String qualified(BankFile table) {
    return schema + "." + source.table(table);
  }

  /** {@code "schema"."table"}, quoted for SQL. */
  String quotedName(BankFile table) {
    return quote(schema) + "." + quote(source.table(table));
  }

  /** An IOException naming the table, for a failure of the database rather than of the data. */
  IOException failure(BankFile table, SQLException e) {
    return new IOException(label(table) + ": database error: " + e.getMessage(), e);
  }

  /** Quotes an SQL identifier, so that any table or column name is taken literally. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The table's columns as the database describes them, in the table's order. */
  private List<JdbcTableReader.Column> columns(BankFile table) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    List<JdbcTableReader.Column> columns = new ArrayList<>();
    try (ResultSet rs =
        meta.getColumns(null, pattern(meta, schema), pattern(meta, source.table(table)), "%")) {
      while (rs.next()) {
        if (schema.equals(rs.getString("TABLE_SCHEM"))
            && source.table(table).equals(rs.getString("TABLE_NAME"))) {
          columns.add(
              new JdbcTableReader.Column(
                  rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")));
        }
      }
    }
    return columns;
  }

  /** A metadata search pattern matching exactly {@code name}. */
  private static String pattern(DatabaseMetaData meta, String name) throws SQLException {
    String escape = meta.getSearchStringEscape();
    return name.replace(escape, escape + escape)
        .replace("_", escape + "_")
        .replace("%", escape + "%");
  }
}
