package io.checkout.support.axon;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Global indexes for the events that {@link JdbcEventStatements} appends, drawn from the sequence Hibernate made for
 * Axon's JPA event entry, in the blocks Hibernate's own pooled optimizer takes: each value {@code v} the sequence
 * hands out stands for the indexes {@code v - increment + 1 .. v}. A process of either engine draws whole blocks of
 * its own, so the JPA engine and this one can write the same table, one after the other or at once, without ever
 * choosing the same index; a database switches engines without a migration.
 * <p>
 * Within a process the indexes follow one another as with the JPA engine, so the tracking processors see the same
 * few short-lived gaps (indexes taken by a transaction that has not committed yet).
 */
final class PooledGlobalIndexes {

    private final String sequence;
    private long increment;
    private long next;
    private long last = -1;

    /** @param sequence the sequence's name as SQL writes it, for {@code NEXT VALUE FOR} and the schema's lookup */
    PooledGlobalIndexes(String sequence) {
        this.sequence = sequence;
    }

    /**
     * Takes {@code count} indexes in a row of this process's block, and a new block from the sequence when the
     * current one runs out.
     *
     * @param connection the transaction's connection (a sequence's values are not rolled back with it)
     * @return the indexes, in the order to give them to the events
     */
    synchronized long[] take(Connection connection, int count) throws SQLException {
        long[] indexes = new long[count];
        for (int i = 0; i < count; i++) {
            if (next > last) {
                newBlock(connection);
            }
            indexes[i] = next++;
        }
        return indexes;
    }

    private void newBlock(Connection connection) throws SQLException {
        if (increment == 0) {
            increment = increment(connection);
        }
        long value;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT NEXT VALUE FOR " + sequence)) {
            result.next();
            value = result.getLong(1);
        }
        // The sequence's first value (1) stands for the indexes up to 1 only: Hibernate, drawing it, takes 1 to
        // 1 + increment and skips the next value, which is then never handed to anyone else.
        next = Math.max(1, value - increment + 1);
        last = value;
    }

    private long increment(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT INCREMENT FROM INFORMATION_SCHEMA.SEQUENCES WHERE UPPER(SEQUENCE_NAME) = UPPER(?)")) {
            statement.setString(1, sequence);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new SQLException("No sequence " + sequence + " for the events' global indexes");
                }
                return result.getLong(1);
            }
        }
    }
}
