package io.checkout.support.axon;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * What Axon's JDBC stores need here that its JPA stores do not: their statements write the ids the JPA entries draw
 * from Hibernate's sequences themselves, in H2's SQL ({@code NEXT VALUE FOR}), and name the tables without a schema.
 * The modes on PostgreSQL (a schema a process, the events in a shared one) keep the JPA stores.
 */
public final class JdbcStores {

    private JdbcStores() {
    }

    /**
     * Fails the start, naming the setting, unless the database is H2.
     *
     * @param property the setting that chose a JDBC store, and its value
     */
    public static void requireH2(DataSource dataSource, String property) {
        String database;
        try (Connection connection = dataSource.getConnection()) {
            database = connection.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the database's name for " + property, e);
        }
        if (!database.equals("H2")) {
            throw new IllegalStateException(property + " works on H2 only, and the database is " + database
                    + ": set it to jpa");
        }
    }
}
