package io.checkout.support.axon;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a snapshot of the aggregate the command in hand holds, instead of rebuilding it from the store.
 * <p>
 * Axon's snapshot trigger asks for a snapshot as the command's unit of work prepares its commit. At that point the
 * aggregate is loaded, holds its lock, and has applied every event of the command, so its state is exactly what its
 * events up to its version give. Axon's own snapshotter ignores that: it reads the last snapshot back, replays the
 * events after it and writes the result, which for a product with a claim per order it has seen was 2.2% of the CPU
 * under load (docs/performance.md). This one serializes the aggregate in hand, in the command's transaction: if the
 * command rolls back, so does its snapshot.
 * <p>
 * For an aggregate that has not finished loading from the store, Axon's trigger asks at the unit of work's cleanup
 * instead, after the commit, and an aggregate created in this process never finishes loading (it is cached as
 * created): so {@link #triggers} marks each trigger loaded from the start, and a snapshot asked for during a load is
 * taken at that command's commit too. Outside a unit of work, Axon's snapshotter does the work as before. At most one
 * snapshot an aggregate a unit of work.
 * <p>
 * A snapshot that cannot be written is logged; as it shares the command's transaction, that transaction then fails
 * too (so does Axon's own snapshotter in this phase, through the transaction it joins), and the next command on the
 * aggregate asks again. The meter {@code checkout.aggregates.snapshots} counts the snapshots by where their state
 * came from.
 */
public final class UnitOfWorkSnapshotter implements Snapshotter {

    private static final Logger log = LoggerFactory.getLogger(UnitOfWorkSnapshotter.class);

    private static final String TAKEN = UnitOfWorkSnapshotter.class.getName() + ".taken";

    private final Snapshotter fromStore;
    private final Supplier<Configuration> axon;
    private final Counter takenFromUnitOfWork;
    private final Counter rebuiltFromStore;

    /**
     * @param fromStore Axon's snapshotter, for snapshots asked for outside a command's commit
     * @param axon      Axon's configuration, looked up at the first snapshot (it is built after this)
     */
    public UnitOfWorkSnapshotter(Snapshotter fromStore, Supplier<Configuration> axon, MeterRegistry meters) {
        this.fromStore = fromStore;
        this.axon = axon;
        this.takenFromUnitOfWork = snapshots(meters, "unit-of-work");
        this.rebuiltFromStore = snapshots(meters, "store");
    }

    private static Counter snapshots(MeterRegistry meters, String source) {
        return Counter.builder("checkout.aggregates.snapshots")
                .description("Aggregate snapshots written, by where their state came from")
                .tag("source", source)
                .register(meters);
    }

    /** Axon's triggers of {@code definition}, each asking for its snapshots at the commit from the start. */
    public static SnapshotTriggerDefinition triggers(SnapshotTriggerDefinition definition) {
        return new SnapshotTriggerDefinition() {
            @Override
            public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
                SnapshotTrigger trigger = definition.prepareTrigger(aggregateType);
                trigger.initializationFinished();
                return trigger;
            }

            @Override
            public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
                return definition.reconfigure(aggregateType, trigger);
            }
        };
    }

    @Override
    public void scheduleSnapshot(Class<?> aggregateType, String aggregateIdentifier) {
        if (!CurrentUnitOfWork.isStarted()
                || CurrentUnitOfWork.get().phase() != UnitOfWork.Phase.PREPARE_COMMIT) {
            rebuiltFromStore.increment();
            fromStore.scheduleSnapshot(aggregateType, aggregateIdentifier);
            return;
        }
        Set<String> taken = CurrentUnitOfWork.get().root().getOrComputeResource(TAKEN, key -> new HashSet<>());
        if (!taken.add(aggregateType.getName() + "/" + aggregateIdentifier)) {
            return; // a second snapshot at the same sequence number would be refused by the table's key
        }
        try {
            Configuration configuration = axon.get();
            // In this phase the repository answers with the aggregate the unit of work already holds (and saves it
            // again into the aggregate cache, which changes nothing).
            Aggregate<?> aggregate = configuration.repository(aggregateType).load(aggregateIdentifier);
            if (aggregate.isDeleted()) {
                return;
            }
            Object root = aggregate.invoke(Function.identity());
            configuration.eventStore().storeSnapshot(new GenericDomainEventMessage<>(aggregate.type(),
                    aggregate.identifierAsString(), aggregate.version(), root));
            takenFromUnitOfWork.increment();
        } catch (RuntimeException e) {
            log.warn("Could not snapshot {} {}, and the command's transaction fails with it: {}",
                    aggregateType.getSimpleName(), aggregateIdentifier, e.toString());
        }
    }
}
