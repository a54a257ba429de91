package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

        assertThat(prepared.get(0)).contains("IN (?,?,?,?) UNION ALL");
        // the third gap fills the fourth place; then the token's index and the batch's end
        assertThat(bound).containsExactly(Map.entry(1, 7L), Map.entry(2, 9L), Map.entry(3, 11L), Map.entry(4, 11L),
                Map.entry(5, 1000L), Map.entry(6, 1050L));
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
