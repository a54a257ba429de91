package io.checkout.saga;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.axonframework.modelling.saga.repository.jdbc.GenericSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;

/**
 * The statements of Axon's JDBC saga store over the tables Hibernate made for Axon's JPA saga entries, so that a
 * database moves between the two stores ({@code checkout.saga.store}) as it is. Axon's insert of an association
 * leaves its id to the database, but the JPA entry's id column has no default: it is drawn here from the sequence
 * Hibernate made for it. Each value drawn is the top of a block Hibernate's pooled optimizer would take whole
 * ({@code value - increment + 1 .. value}), so no process of either store ever takes it; the ids skip, which
 * nothing reads.
 */
final class SagaTables extends GenericSagaSqlSchema {

    SagaTables() {
        super(SagaSchema.builder()
                .sagaEntryTable("saga_entry")
                .associationValueEntryTable("association_value_entry")
                .sagaIdColumn("saga_id")
                .sagaTypeColumn("saga_type")
                .revisionColumn("revision")
                .serializedSagaColumn("serialized_saga")
                .associationKeyColumn("association_key")
                .associationValueColumn("association_value")
                .build());
    }

    @Override
    public PreparedStatement sql_storeAssocValue(Connection connection, String key, String value, String sagaType,
                                                 String sagaIdentifier) throws SQLException {
        PreparedStatement statement = connection.prepareStatement("INSERT INTO "
                + sagaSchema.associationValueEntryTable() + " (id, " + sagaSchema.associationKeyColumn() + ", "
                + sagaSchema.associationValueColumn() + ", " + sagaSchema.sagaTypeColumn() + ", "
                + sagaSchema.sagaIdColumn() + ") VALUES (NEXT VALUE FOR association_value_entry_seq, ?, ?, ?, ?)");
        statement.setString(1, key);
        statement.setString(2, value);
        statement.setString(3, sagaType);
        statement.setString(4, sagaIdentifier);
        return statement;
    }
}
