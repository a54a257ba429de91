package io.checkout.support.axon;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * The two statements in which {@link EventStoreConfig}'s JDBC engine differs from Axon's, over the tables Hibernate
 * made for Axon's JPA entries (one schema for both engines, see {@link #SCHEMA}).
 * <ul>
 *     <li>An append names each event's global index, from {@link PooledGlobalIndexes}: the table's column has no
 *     default of its own (the JPA entry draws it from a sequence), and Axon's statement leaves it out.</li>
 *     <li>A read with gaps asks for the gaps and for the events after the token in two index lookups joined by
 *     {@code UNION ALL}: Axon's {@code OR} of both makes H2 scan the whole table (as
 *     {@link GapQueryJpaEventStorageEngine} explains for the JPA engine); in a form H2 keeps parsed.</li>
 * </ul>
 */
public final class JdbcEventStatements {

    /** The columns as Hibernate's naming strategy made them of Axon's JPA entries. */
    private static final EventSchema SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry")
            .snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index")
            .timestampColumn("time_stamp")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    private final PooledGlobalIndexes globalIndexes = new PooledGlobalIndexes("domain_event_entry_seq");

    /**
     * Adds the statements to Axon's builder, for one engine (one process's block of indexes); {@code splitGapQuery}
     * false keeps Axon's read with gaps.
     */
    public JdbcEventStorageEngine.Builder configure(JdbcEventStorageEngine.Builder builder, boolean splitGapQuery) {
        builder.schema(SCHEMA).dataType(byte[].class).appendEvents(this::appendEvents);
        return splitGapQuery ? builder.readEventDataWithGaps(JdbcEventStatements::readEventDataWithGaps) : builder;
    }

    private PreparedStatement appendEvents(Connection connection, EventSchema schema, Class<?> dataType,
                                           List<? extends EventMessage<?>> events, Serializer serializer,
                                           TimestampWriter timestampWriter) throws SQLException {
        long[] indexes = globalIndexes.take(connection, events.size());
        PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + schema.domainEventTable() + " (" + schema.globalIndexColumn() + ", "
                        + schema.domainEventFields() + ") VALUES (?,?,?,?,?,?,?,?,?,?)");
        for (int i = 0; i < indexes.length; i++) {
            DomainEventMessage<?> event = asDomainEvent(events.get(i));
            SerializedObject<?> payload = event.serializePayload(serializer, dataType);
            SerializedObject<?> metaData = event.serializeMetaData(serializer, dataType);
            statement.setLong(1, indexes[i]);
            statement.setString(2, event.getIdentifier());
            statement.setString(3, event.getAggregateIdentifier());
            statement.setLong(4, event.getSequenceNumber());
            statement.setString(5, event.getType());
            timestampWriter.writeTimestamp(statement, 6, event.getTimestamp());
            statement.setString(7, payload.getType().getName());
            statement.setString(8, payload.getType().getRevision());
            statement.setObject(9, payload.getData());
            statement.setObject(10, metaData.getData());
            statement.addBatch();
        }
        return statement;
    }

    /** As Axon's engine stores an event no aggregate published: its own id as the aggregate's, sequence 0. */
    private static DomainEventMessage<?> asDomainEvent(EventMessage<?> event) {
        return event instanceof DomainEventMessage<?> domainEvent
                ? domainEvent
                : new GenericDomainEventMessage<>(null, event.getIdentifier(), 0L, event, event::getTimestamp);
    }

    /**
     * The union sits in a derived table under a plain select, and the gaps' {@code IN} list has a power of two of
     * places, the last gap repeated in those left over. H2 keeps a connection's parsed statements by their text, but
     * not a union (H2 2.3's {@code SelectUnion} is never cached) and not a text it has not seen: Axon's list as long
     * as the gaps, or the union alone, was parsed again at nearly every read (1% of the CPU under load,
     * docs/performance.md). H2 plans the derived table's two halves with the primary key, as before.
     */
    static PreparedStatement readEventDataWithGaps(Connection connection, EventSchema schema, long globalIndex,
                                                   int batchSize, List<Long> gaps) throws SQLException {
        int places = gapPlaces(gaps.size());
        String fields = schema.trackedEventFields();
        String select = "SELECT " + fields + " FROM " + schema.domainEventTable() + " WHERE ";
        PreparedStatement statement = connection.prepareStatement(
                "SELECT " + fields + " FROM (" + select + schema.globalIndexColumn() + " IN ("
                        + String.join(",", Collections.nCopies(places, "?")) + ") UNION ALL " + select
                        + schema.globalIndexColumn() + " > ? AND " + schema.globalIndexColumn() + " <= ?) ORDER BY "
                        + schema.globalIndexColumn() + " ASC");
        int position = 1;
        for (Long gap : gaps) {
            statement.setLong(position++, gap);
        }
        long last = gaps.get(gaps.size() - 1);
        while (position <= places) {
            statement.setLong(position++, last);
        }
        statement.setLong(position++, globalIndex);
        statement.setLong(position, globalIndex + batchSize);
        return statement;
    }

    /** The smallest power of two that holds the gaps (Axon reads without gaps when there are none). */
    static int gapPlaces(int gaps) {
        return gaps <= 1 ? 1 : Integer.highestOneBit(gaps - 1) << 1;
    }
}
