package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.junit.jupiter.api.Test;

/**
 * The read with gaps comes in a few texts only, whatever the number of gaps, so that H2 finds it parsed; every gap is
 * asked for, and the range after the token follows the gaps' places. (EventStoreEnginesTest reads real rows with it.)
 */
class JdbcEventStatementsTest {

    private final List<String> prepared = new ArrayList<>();
    private final Map<Integer, Long> bound = new TreeMap<>();

    @Test
    void anyNumberOfGapsUpToSixtyFourIsOneOfSevenStatements() throws SQLException {
        Set<String> texts = new HashSet<>();
        for (int count = 1; count <= 64; count++) {
            prepared.clear();
            JdbcEventStatements.readEventDataWithGaps(connection(), EventSchema.builder().build(), 1000, 50,
                    LongStream.range(0, count).boxed().toList());
            texts.add(prepared.get(0));
        }

        assertThat(texts).hasSize(7);
        assertThat(List.of(1, 2, 3, 4, 5, 8, 9, 33)).map(JdbcEventStatements::gapPlaces)
                .containsExactly(1, 2, 4, 4, 8, 8, 16, 64);
    }

    @Test
    void theGapsFillTheirPlacesThenTheRangeFollows() throws SQLException {
        JdbcEventStatements.readEventDataWithGaps(connection(), EventSchema.builder().build(), 1000, 50,
                List.of(7L, 9L, 11L));

        assertThat(prepared.get(0)).startsWith("SELECT ").contains(" FROM (SELECT ").contains("IN (?,?,?,?) UNION ALL");
        // the third gap fills the fourth place; then the token's index and the batch's end
        assertThat(bound).containsExactly(Map.entry(1, 7L), Map.entry(2, 9L), Map.entry(3, 11L), Map.entry(4, 11L),
                Map.entry(5, 1000L), Map.entry(6, 1050L));
    }

    /**
     * On H2: both halves of the read look their rows up by the primary key (no scan of the table), and each event
     * comes once, in the order of its index, a gap named twice included.
     */
    @Test
    void onH2TheReadLooksUpTheGapsAndTheRangeByTheKey() throws SQLException {
        EventSchema schema = EventSchema.builder().build();
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID())) {
            try (Statement ddl = h2.createStatement()) {
                ddl.execute("CREATE TABLE " + schema.domainEventTable() + " (" + schema.globalIndexColumn()
                        + " BIGINT PRIMARY KEY, " + schema.timestampColumn() + " VARCHAR(40), "
                        + schema.eventIdentifierColumn() + " VARCHAR(40), " + schema.aggregateIdentifierColumn()
                        + " VARCHAR(40), " + schema.sequenceNumberColumn() + " BIGINT, " + schema.typeColumn()
                        + " VARCHAR(40), " + schema.payloadTypeColumn() + " VARCHAR(40), "
                        + schema.payloadRevisionColumn() + " VARCHAR(40), " + schema.payloadColumn() + " BLOB, "
                        + schema.metaDataColumn() + " BLOB)");
                ddl.execute("INSERT INTO " + schema.domainEventTable() + " (" + schema.globalIndexColumn() + ", "
                        + schema.eventIdentifierColumn() + ") SELECT X, 'event ' || X FROM SYSTEM_RANGE(1, 1000)");
            }
            List<Long> gaps = List.of(3L, 5L, 8L);

            List<Long> read = new ArrayList<>();
            try (PreparedStatement statement = JdbcEventStatements.readEventDataWithGaps(h2, schema, 900, 4, gaps);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    read.add(rows.getLong(schema.globalIndexColumn()));
                }
            }
            String plan;
            try (PreparedStatement explain = h2.prepareStatement("EXPLAIN " + prepared(schema, gaps))) {
                for (int i = 0; i < bound.size(); i++) {
                    explain.setLong(i + 1, bound.get(i + 1));
                }
                try (ResultSet rows = explain.executeQuery()) {
                    rows.next();
                    plan = rows.getString(1);
                }
            }

            assertThat(read).containsExactly(3L, 5L, 8L, 901L, 902L, 903L, 904L);
            String key = schema.globalIndexColumn().toUpperCase();
            assertThat(plan).doesNotContainIgnoringCase("tableScan")
                    .containsPattern("PRIMARY_KEY_\\w+: " + key + " IN\\(\\?1, \\?2, \\?3, \\?4\\)")
                    .containsPattern("PRIMARY_KEY_\\w+: " + key + " > \\?5\\s+AND " + key + " <= \\?6");
        }
    }

    /** The text the read prepares for these gaps (and the values it binds, in {@link #bound}). */
    private String prepared(EventSchema schema, List<Long> gaps) throws SQLException {
        prepared.clear();
        bound.clear();
        JdbcEventStatements.readEventDataWithGaps(connection(), schema, 900, 4, gaps);
        return prepared.get(0);
    }

    private Connection connection() {
        PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("setLong")) {
                        bound.put((Integer) args[0], (Long) args[1]);
                    }
                    return null;
                });
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")) {
                        prepared.add((String) args[0]);
                        return statement;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
