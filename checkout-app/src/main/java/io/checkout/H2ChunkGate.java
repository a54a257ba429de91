package io.checkout;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Keeps every chunk of the embedded H2 file a state between transactions: no statement and no commit runs while
 * the group commit takes a chunk's maps ({@link H2GroupCommit}).
 *
 * <p>H2 writes a chunk by taking the root of each of its maps (tables, indexes, undo logs) in turn, while
 * transactions go on ({@code MVStore.collectChangedMapRoots}; h2database/h2database#2080). A statement changes
 * several maps, its undo record first, then each table and index, and a commit changes them all again, so a chunk
 * taken meanwhile can hold a row without the undo record that would let the restart roll it back, or a part of a
 * commit: after a crash, a part of a transaction (docs/failure-injection.md). Taking the roots is quick (a pointer
 * each; the pages are immutable, and their serialization can follow on H2's own thread), so the gate is a
 * read-write lock: every statement and every commit or rollback of the application's connections holds it shared,
 * and the group commit takes it exclusively for the moment it takes the roots. A statement that only reads (a
 * {@code select} without {@code for update}, which H2 carries out by locking rows in their maps) changes no map and
 * does not hold it.
 *
 * <p>A statement waiting for a row lock holds the gate shared for as long as it waits, and the transaction it
 * waits for needs the gate to commit. So the exclusive side only ever tries for a few milliseconds, and lets the
 * statements through before it tries again ({@link #tryExclusively}); while it tries, new statements wait.
 *
 * <p>As a bean post-processor it puts the gate around the application's data source when that is an embedded H2
 * database (a Hikari pool, possibly wrapped, with a {@code jdbc:h2:} URL that is not in memory or on a server);
 * PostgreSQL and the rest are left alone.
 */
class H2ChunkGate implements BeanPostProcessor {

    /** A select that writes: {@code for update} (H2 locks the rows in their maps), or a sequence's next value. */
    private static final Pattern WRITING_SELECT =
            Pattern.compile("\\bfor\\s+update\\b|\\bnext\\s+value\\b|\\bnextval\\b");

    /** The proxies' constructors, found once: {@code Proxy.newProxyInstance} looks them up at every call. */
    private static final Map<Class<?>, Constructor<?>> PROXIES = Stream.of(Connection.class, Statement.class,
            PreparedStatement.class, CallableStatement.class, ResultSet.class)
            .collect(Collectors.toUnmodifiableMap(type -> type, H2ChunkGate::proxyConstructor));
    /** The SQL strings judged so far; the application's are a few hundred, each prepared again and again. */
    private static final int MAX_JUDGED = 10_000;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Boolean> judged = new ConcurrentHashMap<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource dataSource && !gates(dataSource)) {
            HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class);
            if (hikari != null && isEmbeddedH2(hikari.getJdbcUrl())) {
                return gate(dataSource);
            }
        }
        return bean;
    }

    static boolean isEmbeddedH2(String url) {
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:")
                && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    /** The data source whose connections hold the gate for each statement, commit and rollback. */
    DataSource gate(DataSource target) {
        return new GatedDataSource(target);
    }

    /** Whether this gate is around the data source ({@link #gate}), or around one that it delegates to. */
    boolean gates(DataSource dataSource) {
        DataSource current = dataSource;
        while (current instanceof DelegatingDataSource delegating) {
            if (delegating instanceof GatedDataSource gated && gated.gate() == this) {
                return true;
            }
            current = delegating.getTargetDataSource();
        }
        return false;
    }

    /**
     * Runs {@code action} while no statement or commit of a gated connection runs: waits up to {@code timeout} for
     * those under way to end (new ones wait meanwhile), then returns {@code false} without running it if some
     * have not.
     *
     * @return what {@code action} returned, or {@code false} if the gate could not be taken in time
     */
    boolean tryExclusively(long timeout, TimeUnit unit, BooleanSupplier action) throws InterruptedException {
        if (!lock.writeLock().tryLock(timeout, unit)) {
            return false;
        }
        try {
            return action.getAsBoolean();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether a statement of this SQL only reads, so that it need not hold the gate. */
    static boolean onlyReads(String sql) {
        if (sql == null) {
            return false;
        }
        String start = sql.stripLeading();
        return start.regionMatches(true, 0, "select", 0, 6)
                && !WRITING_SELECT.matcher(sql.toLowerCase(Locale.ROOT)).find();
    }

    /** {@link #onlyReads}, remembered: judging a long statement was 4% of the CPU, at every prepare. */
    private boolean judgedOnlyReads(String sql) {
        if (sql == null) {
            return false;
        }
        Boolean reads = judged.get(sql);
        if (reads == null) {
            reads = onlyReads(sql);
            if (judged.size() < MAX_JUDGED) {
                judged.put(sql, reads);
            }
        }
        return reads;
    }

    private static Constructor<?> proxyConstructor(Class<?> type) {
        try {
            return Proxy.newProxyInstance(H2ChunkGate.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> null).getClass().getConstructor(InvocationHandler.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object proxy(Class<?> type, InvocationHandler handler) {
        try {
            return PROXIES.get(type).newInstance(handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object shared(Object target, Method method, Object[] args) throws Throwable {
        lock.readLock().lock();
        try {
            return call(target, method, args);
        } finally {
            lock.readLock().unlock();
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Connection connection(Connection target) {
        return (Connection) proxy(Connection.class, new GatedConnection(target));
    }

    private final class GatedDataSource extends DelegatingDataSource {

        GatedDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return connection(obtainTargetDataSource().getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return connection(obtainTargetDataSource().getConnection(username, password));
        }

        H2ChunkGate gate() {
            return H2ChunkGate.this;
        }

        @Override
        public String toString() {
            return "H2ChunkGate around " + obtainTargetDataSource();
        }
    }

    /** What is common to the proxies: the wrapper methods and {@code Object}'s, answered for the proxy itself. */
    private abstract static class Gated implements InvocationHandler {

        final Object target;

        Gated(Object target) {
            this.target = target;
        }

        @Override
        public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object own = own(proxy, method, args);
            return own != this ? own : forward(proxy, method, args);
        }

        /** A method of the target's: what the proxy does with it. */
        abstract Object forward(Object proxy, Method method, Object[] args) throws Throwable;

        /** The answer for the proxy's own methods, or {@code this} when the method is the target's. */
        private Object own(Object proxy, Method method, Object[] args) throws Throwable {
            Class<?> declaring = method.getDeclaringClass();
            if (declaring != Object.class && declaring != Wrapper.class) {
                return this;
            }
            switch (method.getName()) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "gated " + target;
                case "unwrap":
                    return ((Class<?>) args[0]).isInstance(proxy) ? proxy : call(target, method, args);
                case "isWrapperFor":
                    return ((Class<?>) args[0]).isInstance(proxy) || (boolean) call(target, method, args);
                default:
                    return this;
            }
        }
    }

    private final class GatedConnection extends Gated {

        GatedConnection(Connection target) {
            super(target);
        }

        @Override
        Object forward(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                // setAutoCommit(true) commits; a pool's close() rolls back what is left
                case "commit", "rollback", "setAutoCommit", "close":
                    return shared(target, method, args);
                case "createStatement":
                    return statement(proxy, Statement.class, call(target, method, args), false);
                case "prepareStatement":
                    return statement(proxy, PreparedStatement.class, call(target, method, args),
                            judgedOnlyReads((String) args[0]));
                case "prepareCall":
                    return statement(proxy, CallableStatement.class, call(target, method, args), false);
                default:
                    return call(target, method, args);
            }
        }

        private Object statement(Object connection, Class<?> type, Object statement, boolean onlyReads) {
            return proxy(type, new GatedStatement(statement, connection, onlyReads));
        }
    }

    private final class GatedStatement extends Gated {

        private final Object connection;
        /** A prepared statement that only reads; a plain statement is judged by the SQL of each call. */
        private final boolean onlyReads;

        GatedStatement(Object target, Object connection, boolean onlyReads) {
            super(target);
            this.connection = connection;
            this.onlyReads = onlyReads;
        }

        @Override
        Object forward(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            Object result;
            if (name.startsWith("execute")) {
                boolean reads = args != null && args.length > 0 && args[0] instanceof String sql
                        ? judgedOnlyReads(sql) : onlyReads && !name.endsWith("Batch");
                result = reads ? call(target, method, args) : shared(target, method, args);
            } else if (name.equals("getConnection")) {
                return connection;
            } else {
                result = call(target, method, args);
            }
            return result instanceof ResultSet resultSet ? proxy(ResultSet.class, new GatedResultSet(resultSet, proxy))
                    : result;
        }
    }

    /**
     * A result set whose {@code getStatement()} is the gated statement that made it, as JDBC asks. Hibernate keys the
     * statements it must close by that answer: with the pool's statement instead, it closed each one a second time at
     * the end of the transaction, and H2 made an exception and wrote a line to its trace file for each.
     */
    private static final class GatedResultSet extends Gated {

        private final Object statement;

        GatedResultSet(Object target, Object statement) {
            super(target);
            this.statement = statement;
        }

        @Override
        Object forward(Object proxy, Method method, Object[] args) throws Throwable {
            return method.getName().equals("getStatement") ? statement : call(target, method, args);
        }
    }
}
