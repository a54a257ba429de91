package io.checkout;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/** The store behind an H2 file database, for the components that keep it ({@link H2Housekeeping}, {@link H2GroupCommit}). */
final class H2Stores {

    private H2Stores() {
    }

    /**
     * The H2 store behind the data source, or {@code null} when it is not an H2 file database (PostgreSQL, or an
     * in-memory H2).
     */
    static MVStore fileStore(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)
                    || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return null;
            }
            Database database = session.getDatabase();
            return database.isPersistent() && database.getStore() != null ? database.getStore().getMvStore() : null;
        }
    }
}
