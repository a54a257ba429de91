package io.checkout.support.jdbc;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Values for the read models' statements, in the types their columns have in the schema Hibernate makes from the
 * entities: an {@link Instant} is a {@code timestamp with time zone}, which both H2's and PostgreSQL's drivers take
 * as an {@link OffsetDateTime}; a value that may be null carries its SQL type, so the driver is not asked for the
 * parameter's type first.
 */
public final class SqlValues {

    private SqlValues() {
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    public static SqlParameterValue text(String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    public static SqlParameterValue integer(Integer value) {
        return new SqlParameterValue(Types.INTEGER, value);
    }

    public static SqlParameterValue decimal(BigDecimal value) {
        return new SqlParameterValue(Types.NUMERIC, value);
    }
}
