package io.cleanroom.node.testing;

import io.cleanroom.node.data.BankFile;
import io.cleanroom.node.data.JdbcSource;
import io.cleanroom.protocol.testing.ExternalTools;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * A private PostgreSQL server for tests, from the Debian package's binaries ({@code
 * /usr/lib/postgresql/<version>/bin}): a fresh cluster in a temporary folder, listening on a free
 * port of 127.0.0.1 and on a Unix socket in that folder, stopped and deleted by {@link #close()}.
 *
 * <p>{@code initdb} refuses to run as root, so when the tests run as root the cluster is created
 * and run as the {@code postgres} OS user (made by the Debian package) through {@code runuser},
 * with the folder owned by that user. Connections over TCP authenticate with SCRAM passwords, as a
 * bank's server would; only the Unix socket in the folder trusts local users.
 *
 * <p>Skips the test (or fails it in CI) when PostgreSQL is not installed, see {@link
 * ExternalTools}.
 */
public final class PostgresServer implements AutoCloseable {
  /** The superuser the cluster is created with. */
  public static final String SUPERUSER = "postgres";

  /** The superuser's password; connections over TCP need one (SCRAM). */
  public static final String SUPERUSER_PASSWORD = "cleanroom-test";

  /** The OS user the server runs as when the tests run as root. */
  private static final String SERVER_USER = "postgres";

  private static final Path PACKAGE_ROOT = Path.of("/usr/lib/postgresql");
  private static final String PACKAGE = "postgresql";
  private static final int START_SECONDS = 60;

  private final Path dir;
  private final Path bin;
  private final boolean asPostgresUser;
  private final int port;

  private PostgresServer(Path dir, Path bin, boolean asPostgresUser, int port) {
    this.dir = dir;
    this.bin = bin;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
  }

  /** Creates and starts a cluster with one database, {@code cleanroom}. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    ExternalTools.require(bin.resolve("initdb"), PACKAGE);
    ExternalTools.require(bin.resolve("pg_ctl"), PACKAGE);
    ExternalTools.require(bin.resolve("postgres"), PACKAGE);
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      ExternalTools.require(Path.of("/usr/sbin/runuser"), "util-linux");
    }
    Path dir =
        Files.createTempDirectory(
            "cleanroom-pg-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    PostgresServer server = new PostgresServer(dir, bin, root, freePort());
    try {
      server.init();
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The JDBC URL of database {@code database} on this server. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** A new connection to database {@code cleanroom} as the superuser. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url("cleanroom"), SUPERUSER, SUPERUSER_PASSWORD);
  }

  /** Runs SQL statements (separated by {@code ;}) in database {@code cleanroom}. */
  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Creates {@code schema} with one table per {@link BankFile}, columns in canonical order: ids and
   * codes as {@code text}, dates as {@code date}, {@code ts} as {@code timestamptz} and {@code
   * amount} as {@code numeric(18,2)}; then copies each CSV file of {@code bankDir} into its table
   * (the files' headers must be in canonical order; empty fields become NULL).
   */
  public void loadBank(String schema, Path bankDir) throws SQLException, IOException {
    load(schema, bankDir, TYPES);
  }

  /** As {@link #loadBank}, but with every column of type {@code text}. */
  public void loadBankAsText(String schema, Path bankDir) throws SQLException, IOException {
    load(schema, bankDir, Map.of());
  }

  private void load(String schema, Path bankDir, Map<String, String> types)
      throws SQLException, IOException {
    StringBuilder ddl = new StringBuilder("CREATE SCHEMA ").append(quote(schema)).append(";\n");
    for (BankFile table : BankFile.values()) {
      ddl.append("CREATE TABLE ").append(quote(schema)).append('.').append(table.tableName());
      List<String> columns = new ArrayList<>();
      for (String column : table.columns()) {
        columns.add(column + " " + types.getOrDefault(column, "text"));
      }
      ddl.append(" (").append(String.join(", ", columns)).append(");\n");
    }
    execute(ddl.toString());
    try (Connection c = connect()) {
      for (BankFile table : BankFile.values()) {
        Path csv = bankDir.resolve(table.fileName());
        if (!Files.exists(csv)) {
          continue;
        }
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY "
                      + quote(schema)
                      + "."
                      + table.tableName()
                      + " FROM STDIN WITH (FORMAT csv, HEADER true)",
                  in);
        }
      }
    }
  }

  /**
   * A source reading {@code schema} of database {@code cleanroom} as user {@code user} with {@code
   * password}.
   */
  public JdbcSource source(String user, String password, String schema) {
    return new JdbcSource(url("cleanroom"), user, password, schema, Map.of());
  }

  /**
   * Creates a login role that may only read {@code schema}: {@code CONNECT}, {@code USAGE} on the
   * schema and {@code SELECT} on its tables, as a bank would grant the node's database user.
   */
  public void createReader(String user, String password, String schema) throws SQLException {
    execute(
        "CREATE ROLE "
            + quote(user)
            + " LOGIN PASSWORD '"
            + password.replace("'", "''")
            + "';\n"
            + "GRANT CONNECT ON DATABASE cleanroom TO "
            + quote(user)
            + ";\n"
            + "GRANT USAGE ON SCHEMA "
            + quote(schema)
            + " TO "
            + quote(user)
            + ";\n"
            + "GRANT SELECT ON ALL TABLES IN SCHEMA "
            + quote(schema)
            + " TO "
            + quote(user)
            + ";");
  }

  /** Stops the server and deletes its folder. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static final Map<String, String> TYPES =
      Map.of(
          "birth_date", "date",
          "opened_on", "date",
          "flagged_on", "date",
          "ts", "timestamptz",
          "amount", "numeric(18,2)");

  private void init() throws IOException, InterruptedException {
    if (asPostgresUser) {
      Files.setOwner(dir, lookup().lookupPrincipalByName(SERVER_USER));
    }
    Path data = dir.resolve("data");
    Path pwfile = dir.resolve("superuser-password");
    Files.writeString(pwfile, SUPERUSER_PASSWORD + "\n");
    if (asPostgresUser) {
      Files.setOwner(pwfile, lookup().lookupPrincipalByName(SERVER_USER));
    }
    run(
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        SUPERUSER,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--pwfile=" + pwfile,
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync");
    run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-o",
        "-c listen_addresses=127.0.0.1 -p "
            + port
            + " -c unix_socket_directories="
            + dir
            + " -c fsync=off -c full_page_writes=off",
        "-w",
        "-t",
        Integer.toString(START_SECONDS),
        "start");
    try (Connection c =
            DriverManager.getConnection(url("postgres"), SUPERUSER, SUPERUSER_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE cleanroom");
    } catch (SQLException e) {
      throw new IOException("cannot create the test database: " + e.getMessage(), e);
    }
  }

  /** Runs a program, as the postgres user if needed, and fails with its output if it fails. */
  private void run(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("/usr/sbin/runuser", "-u", SERVER_USER, "--"));
    }
    full.addAll(List.of(command));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).directory(dir.toFile()).start();
    byte[] output = p.getInputStream().readAllBytes();
    if (!p.waitFor(START_SECONDS * 2, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", full) + " did not finish");
    }
    if (p.exitValue() != 0) {
      String log = "";
      Path serverLog = dir.resolve("server.log");
      if (Files.exists(serverLog)) {
        log = "\nserver log:\n" + Files.readString(serverLog);
      }
      throw new IOException(
          String.join(" ", full)
              + " exited with "
              + p.exitValue()
              + ":\n"
              + new String(output, StandardCharsets.UTF_8)
              + log);
    }
  }

  /** The bin folder of the newest PostgreSQL the Debian package installed. */
  private static Path binaries() throws IOException {
    if (Files.isDirectory(PACKAGE_ROOT)) {
      try (Stream<Path> versions = Files.list(PACKAGE_ROOT)) {
        Path newest =
            versions
                .filter(v -> v.getFileName().toString().matches("\\d+"))
                .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                .orElse(null);
        if (newest != null) {
          return newest.resolve("bin");
        }
      }
    }
    return PACKAGE_ROOT.resolve("<version>/bin");
  }

  private static UserPrincipalLookupService lookup() {
    return FileSystems.getDefault().getUserPrincipalLookupService();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
