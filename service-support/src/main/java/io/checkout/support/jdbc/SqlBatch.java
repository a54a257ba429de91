package io.checkout.support.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;

/** One statement for many rows: a single row is an update of its own, more a JDBC batch. */
public final class SqlBatch {

    private SqlBatch() {
    }

    /** Runs {@code sql} once a row; the rows' values may be {@link org.springframework.jdbc.core.SqlParameterValue}s. */
    public static void run(JdbcTemplate jdbc, String sql, List<Object[]> rows) {
        if (rows.size() == 1) {
            jdbc.update(sql, rows.get(0));
        } else if (!rows.isEmpty()) {
            jdbc.batchUpdate(sql, new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement statement, int i) throws SQLException {
                    new ArgumentPreparedStatementSetter(rows.get(i)).setValues(statement);
                }

                @Override
                public int getBatchSize() {
                    return rows.size();
                }
            });
        }
    }
}
