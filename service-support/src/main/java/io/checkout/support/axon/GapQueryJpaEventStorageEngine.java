package io.checkout.support.axon;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

/**
 * Axon's JPA storage engine, reading a tracking token's gaps with a query of their own.
 * <p>
 * A processor's token lists the global indexes below its position that were not yet committed when it last read
 * (another transaction held them). Axon reads the next batch with {@code globalIndex > :token OR globalIndex IN
 * :gaps}, and H2 answers that {@code OR} with a scan of the whole event table: under load nearly every read has a
 * gap, so every read cost more as the table grew (half of all database time after a minute of the benchmark).
 * Here the same rows come from two index lookups: the gaps (all below the token), then the events after the token,
 * in the same order and no more of them than one batch.
 */
public class GapQueryJpaEventStorageEngine extends JpaEventStorageEngine {

    private static final String COLUMNS = "SELECT e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, "
            + "e.eventIdentifier, e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData FROM ";

    public GapQueryJpaEventStorageEngine(JpaEventStorageEngine.Builder builder) {
        super(builder);
    }

    @Override
    protected List<Object[]> fetchEvents(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().isEmpty()) {
            return super.fetchEvents(token);
        }
        int batchSize = batchSize();
        List<Object[]> events = new ArrayList<>(entityManager()
                .createQuery(COLUMNS + domainEventEntryEntityName() + " e WHERE e.globalIndex IN :gaps "
                        + "ORDER BY e.globalIndex ASC", Object[].class)
                .setParameter("gaps", token.getGaps())
                .setMaxResults(batchSize)
                .getResultList());
        if (events.size() < batchSize) {
            events.addAll(entityManager()
                    .createQuery(COLUMNS + domainEventEntryEntityName() + " e WHERE e.globalIndex > :token "
                            + "ORDER BY e.globalIndex ASC", Object[].class)
                    .setParameter("token", token.getIndex())
                    .setMaxResults(batchSize - events.size())
                    .getResultList());
        }
        return events;
    }
}
