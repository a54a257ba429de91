package io.checkout.support.fault;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** The application's data source behind the {@code database} fault point: FAIL makes it unreachable. */
class FaultyDataSource extends DelegatingDataSource {

    static final String POINT = "database";

    private final ObjectProvider<FaultInjector> faults;
    /** Looked up once it exists: a bean lookup on every connection was a measurable share of the CPU. */
    private volatile FaultInjector injector;

    FaultyDataSource(DataSource target, ObjectProvider<FaultInjector> faults) {
        super(target);
        this.faults = faults;
    }

    @Override
    public Connection getConnection() throws SQLException {
        check();
        return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        check();
        return super.getConnection(username, password);
    }

    private void check() throws SQLException {
        FaultInjector current = injector;
        if (current == null) {
            current = faults.getIfAvailable();
            injector = current;
        }
        Optional<FaultRule> fault = current == null ? Optional.empty() : current.fire(POINT, "");
        if (fault.isEmpty()) {
            return;
        }
        if (fault.get().action() == FaultAction.DELAY) {
            try {
                Thread.sleep(fault.get().delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        throw new SQLTransientConnectionException("Injected fault: database unreachable");
    }
}
