package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2FileMetricsTest {

    @TempDir
    Path dir;

    @Test
    void showsTheFileAndHowMuchOfItIsLive() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        // Every commit its own chunk, and no compaction by H2: what the gauges show is what the commits left.
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("metrics") + ";WRITE_DELAY=0;AUTO_COMPACT_FILL_RATE=0");
        MeterRegistry meters = new SimpleMeterRegistry();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            new H2FileMetrics(dataSource).bindTo(meters);
            statement.execute("create table t(id bigint primary key, payload varchar(1000))");
            statement.execute("insert into t select x, repeat('x', 900) from system_range(1, 5000)");
            double liveBefore = gauge(meters, "checkout.h2.chunks.live");

            statement.execute("delete from t where id > 500");
            statement.execute("update t set payload = 'y' where id <= 500");

            assertThat(gauge(meters, "checkout.h2.file.size"))
                    .isEqualTo(Files.size(dir.resolve("metrics.mv.db")))
                    .isGreaterThan(4_000_000);
            assertThat(gauge(meters, "checkout.h2.file.chunks")).isBetween(1.0, 100.0);
            assertThat(gauge(meters, "checkout.h2.chunks.live")).isBetween(0.0, 100.0)
                    .as("the live share after most rows died, against %s before", liveBefore)
                    .isLessThan(liveBefore / 2);
        }
    }

    @Test
    void anInMemoryDatabaseHasNone() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:metrics-" + System.nanoTime());
        MeterRegistry meters = new SimpleMeterRegistry();
        try (Connection keepOpen = dataSource.getConnection()) {
            new H2FileMetrics(dataSource).bindTo(meters);
        }
        assertThat(meters.find("checkout.h2.file.size").gauge()).isNull();
    }

    private static double gauge(MeterRegistry meters, String name) {
        return meters.get(name).gauge().value();
    }
}
