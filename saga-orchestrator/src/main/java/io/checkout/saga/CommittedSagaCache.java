package io.checkout.saga;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.SagaStore;

/**
 * A saga store that keeps what the database holds in memory, so that a saga's next event neither loads it nor looks
 * up its associations. It holds <em>committed</em> state only, which Axon's {@code CachingSagaStore} does not: that
 * one updates its cache as it writes, before the transaction commits, so a batch that rolls back (a database fault,
 * a handler that throws) leaves the cache ahead of the database, and the retried batch would run on a saga that has
 * already seen its events.
 * <ul>
 *   <li>Inserts, updates and deletes reach the cache when their unit of work has committed.</li>
 *   <li>A saga handed out by {@link #loadSaga} is the cached instance, which the handlers change in place: a unit of
 *       work that loaded it and rolls back evicts it, so the next load reads the database. Axon's saga repository
 *       holds a saga's lock until its unit of work has cleaned up, after both of these, so no other thread sees the
 *       instance in between.</li>
 *   <li>An association looked up in the database is cached only if no association was written while the lookup ran
 *       (a generation count, checked and bumped under one lock), so a lookup racing a commit cannot cache what the
 *       commit changed.</li>
 * </ul>
 * Both caches are bounded; what they drop is read from the database again. The cache assumes that sagas of this
 * store change only through this process (the orchestrator is one process in every mode); a second orchestrator
 * process writing the same sagas would need it off ({@code checkout.saga.cache-size: 0}).
 *
 * @param <T> the saga types stored
 */
final class CommittedSagaCache<T> implements SagaStore<T> {

    private final SagaStore<T> delegate;
    private final Cache<String, Cached<T>> sagas;
    private final Cache<Association, Set<String>> associations;
    private final Object associationLock = new Object();
    /** Bumped, under {@link #associationLock}, whenever committed associations change. */
    private long associationGeneration;

    CommittedSagaCache(SagaStore<T> delegate, long maximumSize) {
        this.delegate = delegate;
        // Each cache's upkeep (its eviction and the buffers of its reads and writes) on the thread that used it, not
        // handed to the common pool after writes: the hand-off, a wake-up of another thread, cost more than the work.
        this.sagas = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).recordStats().build();
        this.associations = Caffeine.newBuilder().maximumSize(2 * maximumSize).executor(Runnable::run).recordStats()
                .build();
    }

    /** The cached sagas (for metrics). */
    Cache<String, Cached<T>> sagas() {
        return sagas;
    }

    /** The cached association lookups (for metrics). */
    Cache<Association, Set<String>> associations() {
        return associations;
    }

    /** A saga as committed, and its association values. */
    record Cached<T>(Class<?> type, T saga, Set<AssociationValue> associationValues) implements SagaStore.Entry<T> {
    }

    /** One association value of one saga type. */
    record Association(String sagaType, String key, String value) {
        static Association of(Class<?> sagaType, AssociationValue value) {
            return new Association(sagaType.getName(), value.getKey(), value.getValue());
        }
    }

    @Override
    public Set<String> findSagas(Class<? extends T> sagaType, AssociationValue associationValue) {
        Association association = Association.of(sagaType, associationValue);
        Set<String> cached = associations.getIfPresent(association);
        if (cached != null) {
            return new HashSet<>(cached);
        }
        long generation;
        synchronized (associationLock) {
            generation = associationGeneration;
        }
        Set<String> found = delegate.findSagas(sagaType, associationValue);
        synchronized (associationLock) {
            if (generation == associationGeneration) {
                associations.put(association, Set.copyOf(found));
            }
        }
        return found;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends T> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        Cached<T> cached = sagas.getIfPresent(sagaIdentifier);
        if (cached != null && cached.type() == sagaType) {
            evictOnRollback(sagaIdentifier);
            return new Cached<>(sagaType, (S) cached.saga(), Set.copyOf(cached.associationValues()));
        }
        Entry<S> stored = delegate.loadSaga(sagaType, sagaIdentifier);
        if (stored != null) {
            // Loaded under the saga's lock: nothing commits a newer state of it before this unit of work ends.
            sagas.put(sagaIdentifier, new Cached<>(sagaType, stored.saga(), Set.copyOf(stored.associationValues())));
            evictOnRollback(sagaIdentifier);
        }
        return stored;
    }

    @Override
    public void insertSaga(Class<? extends T> sagaType, String sagaIdentifier, T saga,
                           Set<AssociationValue> associationValues) {
        delegate.insertSaga(sagaType, sagaIdentifier, saga, associationValues);
        Set<AssociationValue> values = Set.copyOf(associationValues);
        afterCommit(() -> {
            sagas.put(sagaIdentifier, new Cached<>(sagaType, saga, values));
            changeAssociations(sagaType, sagaIdentifier, values, Set.of());
        });
    }

    @Override
    public void updateSaga(Class<? extends T> sagaType, String sagaIdentifier, T saga,
                           AssociationValues associationValues) {
        Set<AssociationValue> added = Set.copyOf(associationValues.addedAssociations());
        Set<AssociationValue> removed = Set.copyOf(associationValues.removedAssociations());
        Set<AssociationValue> values = Set.copyOf(associationValues.asSet());
        delegate.updateSaga(sagaType, sagaIdentifier, saga, associationValues);
        evictOnRollback(sagaIdentifier);
        afterCommit(() -> {
            sagas.put(sagaIdentifier, new Cached<>(sagaType, saga, values));
            changeAssociations(sagaType, sagaIdentifier, added, removed);
        });
    }

    @Override
    public void deleteSaga(Class<? extends T> sagaType, String sagaIdentifier,
                           Set<AssociationValue> associationValues) {
        Set<AssociationValue> values = Set.copyOf(associationValues);
        sagas.invalidate(sagaIdentifier);
        delegate.deleteSaga(sagaType, sagaIdentifier, associationValues);
        afterCommit(() -> {
            sagas.invalidate(sagaIdentifier);
            changeAssociations(sagaType, sagaIdentifier, Set.of(), values);
        });
    }

    /**
     * Applies committed association changes to the lookups already cached. A lookup not cached is left to the
     * database: it may hold other sagas with the same value.
     */
    private void changeAssociations(Class<?> sagaType, String sagaIdentifier, Set<AssociationValue> added,
                                    Set<AssociationValue> removed) {
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        synchronized (associationLock) {
            associationGeneration++;
            for (AssociationValue value : added) {
                change(Association.of(sagaType, value), ids -> ids.add(sagaIdentifier));
            }
            for (AssociationValue value : removed) {
                change(Association.of(sagaType, value), ids -> ids.remove(sagaIdentifier));
            }
        }
    }

    private void change(Association association, Consumer<Set<String>> change) {
        associations.asMap().computeIfPresent(association, (key, ids) -> {
            Set<String> changed = new HashSet<>(ids);
            change.accept(changed);
            return changed.isEmpty() ? null : Set.copyOf(changed);
        });
    }

    private void evictOnRollback(String sagaIdentifier) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().onRollback(unitOfWork -> sagas.invalidate(sagaIdentifier));
        }
    }

    private static void afterCommit(Runnable action) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> action.run());
        } else {
            action.run();
        }
    }
}
