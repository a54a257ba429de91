import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Shows that an H2 file written while transactions commit can hold part of a transaction (docs/failure-injection.md).
 * Four threads commit transactions that insert one row into each of two tables (a tenth of them roll back); the main
 * thread writes and syncs a chunk about every 20 ms and copies the file right after it: each copy is what a
 * crash at that moment would leave. Each copy is opened as H2 opens a file after a crash, and the two tables are
 * compared: a row in one without its pair, or a row of a rolled-back transaction, is a transaction in part.
 *
 * <p>{@code java -cp h2-2.3.232.jar docs/h2-crash-race/H2CrashImageRace.java 30} (30 images; it stops early once the
 * file reaches 1 GB, and deletes it at the end). With {@code gated} after the count, every statement and commit holds
 * a shared lock and the chunk is taken under the exclusive one (its serialization and write after it): the way out
 * that docs/failure-injection.md sketches, to see what it cures and costs.
 */
public class H2CrashImageRace {

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        boolean gated = args.length > 1 && args[1].equals("gated");
        ReadWriteLock gate = new ReentrantReadWriteLock();
        Path dir = Files.createTempDirectory("h2-crash-race");
        // A minute's write delay: the chunks are the ones this program writes.
        String url = "jdbc:h2:file:" + dir.resolve("live") + ";WRITE_DELAY=60000";
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ids = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(4);
        int partial = 0;
        int taken = 0;
        try (Connection setup = DriverManager.getConnection(url, "sa", "")) {
            setup.createStatement().execute("create table a(id bigint primary key, v varchar(100))");
            setup.createStatement().execute(
                    "create table b(id bigint primary key, k varchar(40) unique, v varchar(100))");
            MVStore store = ((SessionLocal) setup.unwrap(JdbcConnection.class).getSession())
                    .getDatabase().getStore().getMvStore();
            for (int w = 0; w < 4; w++) {
                writers.submit(() -> {
                    try (Connection c = DriverManager.getConnection(url, "sa", "");
                         PreparedStatement a = c.prepareStatement("insert into a values(?, ?)");
                         PreparedStatement b = c.prepareStatement("insert into b values(?, ?, ?)")) {
                        c.setAutoCommit(false);
                        while (!stop.get()) {
                            long id = ids.incrementAndGet();
                            a.setLong(1, id);
                            a.setString(2, "x".repeat(50));
                            b.setLong(1, id);
                            b.setString(2, "k" + id);
                            b.setString(3, "y".repeat(50));
                            gated(gated, gate, a::executeUpdate);
                            gated(gated, gate, b::executeUpdate);
                            gated(gated, gate, id % 10 == 0 ? () -> { c.rollback(); return 0; }
                                    : () -> { c.commit(); return 0; });
                            java.util.concurrent.locks.LockSupport.parkNanos(100_000); // keeps the file small
                        }
                    }
                    return null;
                });
            }
            for (int i = 0; i < images && Files.size(dir.resolve("live.mv.db")) < 1_000_000_000L; i++) {
                Thread.sleep(20);
                if (gated) {
                    gate.writeLock().lock();
                    try {
                        store.tryCommit(); // takes the maps' roots, and leaves their serialization to H2's thread
                    } finally {
                        gate.writeLock().unlock();
                    }
                    store.executeFilestoreOperation(() -> { }); // waits for that chunk to be written
                } else {
                    store.commit();
                }
                store.sync();
                Files.copy(dir.resolve("live.mv.db"), dir.resolve("image.mv.db"));
                taken++;
                try (Connection image = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("image"), "sa", "");
                     ResultSet r = image.createStatement().executeQuery("select "
                             + "(select count(*) from a where not exists (select 1 from b where b.id = a.id)), "
                             + "(select count(*) from b where not exists (select 1 from a where a.id = b.id)), "
                             + "(select count(*) from a where mod(id, 10) = 0)"
                             + " + (select count(*) from b where mod(id, 10) = 0), "
                             + "(select count(*) from a)")) {
                    r.next();
                    if (r.getLong(1) + r.getLong(2) + r.getLong(3) > 0) {
                        partial++;
                        System.out.printf("image %d: %d rows in a; in a only %d, in b only %d, rows of rolled-back"
                                + " transactions %d%n", i, r.getLong(4), r.getLong(1), r.getLong(2), r.getLong(3));
                    }
                }
                Files.delete(dir.resolve("image.mv.db"));
                Files.deleteIfExists(dir.resolve("image.trace.db"));
            }
        } finally {
            stop.set(true);
            writers.shutdown();
            writers.awaitTermination(10, TimeUnit.SECONDS);
        }
        System.out.printf("%d of %d images hold part of a transaction (%d transactions begun%s)%n",
                partial, taken, ids.get(), gated ? ", gated" : "");
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private interface Step {
        int run() throws java.sql.SQLException;
    }

    private static void gated(boolean gated, ReadWriteLock gate, Step step) throws java.sql.SQLException {
        if (!gated) {
            step.run();
            return;
        }
        gate.readLock().lock();
        try {
            step.run();
        } finally {
            gate.readLock().unlock();
        }
    }
}
