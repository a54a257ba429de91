package io.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The group commit on an H2 file of its own. What a crash would leave is a copy of the file taken at that moment
 * (a killed process leaves exactly what it wrote): a copy taken after {@code awaitDurable} returned must hold
 * every transaction committed before the call.
 */
class H2GroupCommitTest {

    @TempDir
    Path dir;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    /** The file of the database made last. */
    private Path file;

    @Test
    void whatWasCommittedBeforeTheCallIsOnTheDiskWhenItReturns() throws Exception {
        // H2 alone would write these commits within half a second (its default delay), the group commit's writer a
        // minute later: only its rounds for the answers can have written them.
        JdbcDataSource dataSource = dataSource("delayed", 60_000);
        try (Connection keepOpen = dataSource.getConnection()) {
            H2GroupCommit groupCommit = new H2GroupCommit(dataSource, new H2ChunkGate(), Duration.ofMinutes(1), Duration.ZERO, provider());
            groupCommit.start();
            try {
                assertThat(groupCommit.isActive()).isTrue();
                insert(dataSource, "first");
                groupCommit.awaitDurable();
                assertThat(rowsInACopy("after-first")).containsExactly("first");

                insert(dataSource, "answered");
                Thread.sleep(1_000);
                assertThat(rowsInACopy("before-the-call")).as("not yet written: the writer waits a minute")
                        .containsExactly("first");
                groupCommit.awaitDurable();
                assertThat(rowsInACopy("after-the-call")).containsExactly("first", "answered");
                assertThat(meters.timer("checkout.h2.group.commit").count()).isEqualTo(2);
                assertThat(groupCommit.syncs()).isEqualTo(2);

                // An answer to a read when nothing changed: a round, but nothing to write or sync.
                groupCommit.awaitDurable();
                assertThat(meters.timer("checkout.h2.group.commit").count()).isEqualTo(3);
                assertThat(groupCommit.syncs()).isEqualTo(2);
            } finally {
                groupCommit.stop();
            }
            assertThat(groupCommit.isActive()).isFalse();
        }
    }

    @Test
    void answersThatComeWithinTheSpacingShareTheNextRound() throws Exception {
        Duration spacing = Duration.ofSeconds(2);
        JdbcDataSource dataSource = dataSource("spaced", 60_000);
        try (Connection keepOpen = dataSource.getConnection()) {
            H2GroupCommit groupCommit = new H2GroupCommit(dataSource, new H2ChunkGate(), Duration.ofMinutes(1),
                    spacing, provider());
            groupCommit.start();
            try {
                insert(dataSource, "first");
                long start = System.nanoTime();
                groupCommit.awaitDurable();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the first round is not held back")
                        .isLessThan(spacing.dividedBy(2));

                List<Thread> answers = new ArrayList<>();
                List<Throwable> failures = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    String text = "answer-" + i;
                    Thread answer = new Thread(() -> {
                        try {
                            insert(dataSource, text);
                            groupCommit.awaitDurable();
                        } catch (Exception e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    });
                    answer.start();
                    answers.add(answer);
                }
                for (Thread answer : answers) {
                    answer.join();
                }
                assertThat(failures).isEmpty();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("held until the spacing had passed")
                        .isGreaterThanOrEqualTo(spacing);
                assertThat(meters.timer("checkout.h2.group.commit").count()).as("one round for the four answers")
                        .isEqualTo(2);
                assertThat(rowsInACopy("after-the-answers")).containsExactlyInAnyOrder("first", "answer-0",
                        "answer-1", "answer-2", "answer-3");
            } finally {
                groupCommit.stop();
            }
        }
    }

    @Test
    void answersDoNotWaitWhenEveryCommitIsWrittenAtOnce() throws Exception {
        JdbcDataSource dataSource = dataSource("immediate", 0);
        try (Connection keepOpen = dataSource.getConnection()) {
            H2GroupCommit groupCommit = new H2GroupCommit(dataSource, new H2ChunkGate(), Duration.ofMinutes(1), Duration.ZERO, provider());
            groupCommit.start();
            assertThat(groupCommit.isActive()).isFalse();
            insert(dataSource, "written by H2 itself");
            groupCommit.awaitDurable();
            assertThat(rowsInACopy("immediate-copy")).containsExactly("written by H2 itself");
        }
    }

    @Test
    void leavesAnInMemoryDatabaseAlone() throws Exception {
        JdbcDataSource memory = new JdbcDataSource();
        memory.setURL("jdbc:h2:mem:group-commit;DB_CLOSE_DELAY=-1;WRITE_DELAY=500");
        H2GroupCommit groupCommit = new H2GroupCommit(memory, new H2ChunkGate(), Duration.ofMinutes(1), Duration.ZERO, provider());
        groupCommit.start();
        assertThat(groupCommit.isActive()).isFalse();
    }

    @Test
    void answersFailAtOnceWhenTheFileCanNoLongerBeWritten() throws Exception {
        JdbcDataSource dataSource = dataSource("closed", 60_000);
        H2GroupCommit groupCommit = new H2GroupCommit(dataSource, new H2ChunkGate(), Duration.ofMinutes(1), Duration.ZERO, provider());
        try (Connection keepOpen = dataSource.getConnection()) {
            groupCommit.start();
            insert(dataSource, "before");
            try (Statement statement = keepOpen.createStatement()) {
                statement.execute("shutdown immediately"); // the store closes, as when H2 gives up on the file
            }
        } catch (SQLException closedAlready) {
            // the connection went with the database
        }
        try {
            for (int answer = 0; answer < 2; answer++) {
                long start = System.nanoTime();
                assertThatThrownBy(groupCommit::awaitDurable).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("could not be written");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("failed at once, not after the wait limit")
                        .isLessThan(H2GroupCommit.MAX_WAIT.dividedBy(2));
            }
        } finally {
            groupCommit.stop();
        }
    }

    private ObjectProvider<MeterRegistry> provider() {
        return new StaticListableBeanFactory(Map.of("meters", meters)).getBeanProvider(MeterRegistry.class);
    }

    private JdbcDataSource dataSource(String name, int writeDelay) throws SQLException {
        file = dir.resolve(name + ".mv.db");
        JdbcDataSource dataSource = new JdbcDataSource();
        // WRITE_DELAY=0 keeps H2 writing each commit itself; any other delay is the group commit's to keep.
        dataSource.setURL("jdbc:h2:file:" + dir.resolve(name) + (writeDelay == 0 ? ";WRITE_DELAY=0" : ""));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table answer(id int auto_increment primary key, text varchar(64))");
        }
        return dataSource;
    }

    private static void insert(JdbcDataSource dataSource, String text) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("insert into answer(text) values ('" + text + "')");
        }
    }

    /** The rows a crash at this moment would leave: those of a copy of the file, opened as a database of its own. */
    private List<String> rowsInACopy(String name) throws Exception {
        Files.copy(file, dir.resolve(name + ".mv.db"));
        JdbcDataSource copy = new JdbcDataSource();
        copy.setURL("jdbc:h2:file:" + dir.resolve(name) + ";IFEXISTS=TRUE");
        List<String> rows = new ArrayList<>();
        try (Connection connection = copy.getConnection(); Statement statement = connection.createStatement()) {
            if (!connection.getMetaData().getTables(null, null, "ANSWER", null).next()) {
                return rows;
            }
            try (ResultSet result = statement.executeQuery("select text from answer order by id")) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
        }
        return rows;
    }
}
