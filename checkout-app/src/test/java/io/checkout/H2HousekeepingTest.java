package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The H2 file's housekeeping on a database of its own, written as the application writes under load: many small
 * commits, each appending rows and updating others, with {@code WRITE_DELAY=0}.
 */
class H2HousekeepingTest {

    private static final Duration WRITING = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    @Test
    void keepsTheFileFromGrowingWithEveryCommit() throws Exception {
        JdbcDataSource without = dataSource("without");
        JdbcDataSource with = dataSource("with");
        try (Connection keepOpenA = without.getConnection(); Connection keepOpenB = with.getConnection()) {
            long commitsWithout = write(without);
            H2Housekeeping housekeeping = new H2Housekeeping(with, Duration.ofMillis(200), Duration.ofMillis(500), 90,
                    DataSize.ofMegabytes(4));
            housekeeping.start();
            assertThat(housekeeping.isRunning()).isTrue();
            long commitsWith;
            try {
                commitsWith = write(with);
            } finally {
                housekeeping.stop();
            }
            assertThat(housekeeping.isRunning()).isFalse();
            // The sync and the short retention alone would pass the size check below (7.5 KB a commit): the
            // re-writing is checked on its own.
            assertThat(housekeeping.rewritingTurns()).isPositive();

            long sizeWithout = Files.size(dir.resolve("without.mv.db"));
            long sizeWith = Files.size(dir.resolve("with.mv.db"));
            // Per commit, so that a slower or faster run of either side compares fairly. Measured here: 24 KB a
            // commit without, 5 KB with (7.5 KB with the sync and the short retention but no re-writing).
            assertThat((double) sizeWith / commitsWith)
                    .as("bytes a commit with housekeeping (%d over %d commits) against without (%d over %d)",
                            sizeWith, commitsWith, sizeWithout, commitsWithout)
                    .isLessThan(sizeWithout / 2.0 / commitsWithout);
        }
    }

    /**
     * H2 writes a chunk on its own whenever the changes not yet written pass a threshold (its auto-commit buffer,
     * some 19 MB of pages in memory), on the thread that is writing. When that thread was the housekeeping's, which
     * held H2's serialization lock while it re-wrote pages, the chunk waited for that lock on H2's serialization
     * thread, and every writer of the database waited behind them for ever.
     */
    @Test
    void reWritesWhileOthersWriteMoreThanH2Buffers() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("bulk") + ";WRITE_DELAY=100;AUTO_COMPACT_FILL_RATE=0");
        ExecutorService writers = Executors.newFixedThreadPool(3);
        try (Connection keepOpen = dataSource.getConnection(); Statement statement = keepOpen.createStatement()) {
            statement.execute("create table bulk(id bigint primary key, payload varchar(2000))");
            H2Housekeeping housekeeping = new H2Housekeeping(dataSource, Duration.ofMillis(20),
                    Duration.ofMillis(40), 90, DataSize.ofMegabytes(4));
            housekeeping.start();
            try {
                List<Future<?>> bulks = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    long first = w * 1_000_000_000L;
                    bulks.add(writers.submit(() -> bulkWrite(dataSource, first)));
                }
                for (Future<?> bulk : bulks) {
                    bulk.get(60, TimeUnit.SECONDS);
                }
            } finally {
                housekeeping.stop();
            }
            assertThat(housekeeping.rewritingTurns()).isPositive();
        } finally {
            writers.shutdownNow();
        }
    }

    /** Inserts 20,000 rows of 2 KB a statement, then deletes them, for a few seconds. */
    private static Void bulkWrite(JdbcDataSource dataSource, long first) throws SQLException {
        long end = System.nanoTime() + WRITING.toNanos();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "insert into bulk select x, repeat('x', 2000) from system_range(?, ?)");
             PreparedStatement delete = connection.prepareStatement("delete from bulk where id between ? and ?")) {
            for (long from = first; System.nanoTime() < end; from += 20_000) {
                insert.setLong(1, from);
                insert.setLong(2, from + 19_999);
                insert.executeUpdate();
                delete.setLong(1, from);
                delete.setLong(2, from + 19_999);
                delete.executeUpdate();
            }
        }
        return null;
    }

    @Test
    void leavesOtherDatabasesAlone() throws Exception {
        JdbcDataSource memory = new JdbcDataSource();
        memory.setURL("jdbc:h2:mem:housekeeping;DB_CLOSE_DELAY=-1");
        H2Housekeeping housekeeping = new H2Housekeeping(memory, Duration.ofSeconds(1), Duration.ofSeconds(5), 90,
                DataSize.ofMegabytes(4));
        housekeeping.start();
        assertThat(housekeeping.isRunning()).isFalse();
    }

    @Test
    void refusesARetentionThatTheSyncDoesNotCover() {
        assertThatThrownBy(() -> new H2Housekeeping(new JdbcDataSource(), Duration.ofSeconds(1),
                Duration.ofMillis(1500), 90, DataSize.ofMegabytes(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention");
    }

    private JdbcDataSource dataSource(String name) throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table event(id bigint auto_increment primary key, aggregate varchar(64),"
                    + " payload varbinary(1000))");
            statement.execute("create index event_aggregate on event(aggregate)");
            statement.execute("create table view(id varchar(64) primary key, step varchar(32), n int)");
        }
        return dataSource;
    }

    /** Writes for a while, a commit at a time, and says how many commits it made. */
    private static long write(JdbcDataSource dataSource) throws SQLException {
        long end = System.nanoTime() + WRITING.toNanos();
        long commits = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement append = connection.prepareStatement(
                     "insert into event(aggregate, payload) values (?, ?)");
             PreparedStatement insert = connection.prepareStatement("insert into view(id, step, n) values (?, ?, 0)");
             PreparedStatement update = connection.prepareStatement(
                     "update view set step = ?, n = n + 1 where id = ?")) {
            connection.setAutoCommit(false);
            for (int i = 0; System.nanoTime() < end; i++) {
                String id = "checkout-" + (i - i % 5);
                append.setString(1, id);
                append.setBytes(2, new byte[300]);
                append.executeUpdate();
                if (i % 5 == 0) {
                    insert.setString(1, id);
                    insert.setString(2, "STARTED");
                    insert.executeUpdate();
                } else {
                    update.setString(1, "STEP_" + i % 5);
                    update.setString(2, id);
                    update.executeUpdate();
                }
                connection.commit();
                commits++;
            }
        }
        return commits;
    }
}
