package io.checkout;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;

/**
 * The store behind an H2 file database, and who writes its chunks: for the components that keep it
 * ({@link H2Housekeeping}, {@link H2GroupCommit}).
 */
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

    /**
     * The H2 store behind the data source, or {@code null} when it is not an H2 file database or cannot be reached:
     * then a warning says which component goes without it.
     */
    static MVStore fileStoreOr(DataSource dataSource, Logger log, String without) {
        try {
            return fileStore(dataSource);
        } catch (SQLException e) {
            log.warn("No {}: {}", without, e.toString());
            return null;
        }
    }

    /** H2's write delay while {@link H2GroupCommit} writes the chunks: never reached. */
    static final int TAKEN_DELAY = Integer.MAX_VALUE;

    /**
     * Has H2 write no chunk on its own, so that {@link H2GroupCommit} writes them all, each under the gate
     * ({@link H2ChunkGate}). H2 writes one on its own in two cases: its background writer, every write delay, which a
     * delay it never reaches stops (the delay stays above 0, or H2 would write a chunk at every commit); and any thread
     * whose write finds more unwritten than the store's auto-commit memory (19 MB with a large heap). That limit is
     * fixed when the store opens, and no setting of H2's reaches it, so it is raised here, to an eighth of the heap
     * (at most 256 MB): it then guards only against the writer having stopped.
     *
     * @throws IllegalStateException if this H2 has no such field (a version other than the one tested)
     */
    static void takeChunkWrites(MVStore store) {
        int unwrittenLimit = (int) Math.min(Integer.MAX_VALUE / 8, Runtime.getRuntime().maxMemory() / 8);
        setAutoCommitMemory(store, Math.max(store.getAutoCommitMemory(), unwrittenLimit));
        store.setAutoCommitDelay(TAKEN_DELAY);
    }

    /** Undoes {@link #takeChunkWrites}: H2 writes chunks on its own again. */
    static void giveChunkWritesBack(MVStore store, int autoCommitDelay, int autoCommitMemory) {
        setAutoCommitMemory(store, autoCommitMemory);
        store.setAutoCommitDelay(autoCommitDelay);
    }

    private static void setAutoCommitMemory(MVStore store, int bytes) {
        try {
            Field field = MVStore.class.getDeclaredField("autoCommitMemory");
            field.setAccessible(true);
            field.setInt(store, bytes);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot set H2's MVStore.autoCommitMemory (H2 2.3.232 has it)", e);
        }
    }
}
