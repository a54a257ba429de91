package io.checkout.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValuesImpl;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.junit.jupiter.api.Test;

class CommittedSagaCacheTest {

    private static final AssociationValue ORDER_1 = new AssociationValue("orderId", "o-1");
    private static final AssociationValue ORDER_2 = new AssociationValue("orderId", "o-2");

    private final TransactionalStore database = new TransactionalStore();
    private final CommittedSagaCache<Object> cache = new CommittedSagaCache<>(database, 100);

    @Test
    void aCommittedSagaIsServedFromMemory() {
        Progress saga = new Progress(1);
        inUnitOfWork(() -> cache.insertSaga(Progress.class, "s-1", saga, Set.of(ORDER_1)));

        SagaStore.Entry<Progress> loaded = inUnitOfWork(() -> cache.loadSaga(Progress.class, "s-1"));

        assertThat(loaded.saga()).isSameAs(saga);
        assertThat(loaded.associationValues()).containsExactly(ORDER_1);
        assertThat(database.loads).isZero();
    }

    @Test
    void aSagaChangedInAUnitOfWorkThatRollsBackIsReadFromTheDatabaseAgain() {
        inUnitOfWork(() -> cache.insertSaga(Progress.class, "s-1", new Progress(1), Set.of(ORDER_1)));

        UnitOfWork<?> failing = DefaultUnitOfWork.startAndGet(null);
        Progress changed = cache.loadSaga(Progress.class, "s-1").saga();
        changed.step = 2;
        cache.updateSaga(Progress.class, "s-1", changed, new AssociationValuesImpl(Set.of(ORDER_1)));
        failing.rollback(new IllegalStateException("the database is down"));

        Progress reloaded = inUnitOfWork(() -> cache.loadSaga(Progress.class, "s-1")).saga();
        assertThat(reloaded.step).isEqualTo(1);
        assertThat(database.loads).isEqualTo(1);
        // Once read again, it is cached again.
        inUnitOfWork(() -> cache.loadSaga(Progress.class, "s-1"));
        assertThat(database.loads).isEqualTo(1);
    }

    @Test
    void aSagaInsertedInAUnitOfWorkThatRollsBackIsNeitherCachedNorFound() {
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1))).isEmpty();

        UnitOfWork<?> failing = DefaultUnitOfWork.startAndGet(null);
        cache.insertSaga(Progress.class, "s-1", new Progress(1), Set.of(ORDER_1));
        failing.rollback(new IllegalStateException("the database is down"));

        assertThat(inUnitOfWork(() -> cache.loadSaga(Progress.class, "s-1"))).isNull();
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1))).isEmpty();
    }

    @Test
    void associationLookupsFollowTheCommittedChanges() {
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1))).isEmpty();
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_2))).isEmpty();
        assertThat(database.finds).isEqualTo(2);

        Progress saga = new Progress(1);
        inUnitOfWork(() -> cache.insertSaga(Progress.class, "s-1", saga, Set.of(ORDER_1)));
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1))).containsExactly("s-1");
        assertThat(database.finds).isEqualTo(2);
        assertMemoryAgreesWithTheDatabase();

        AssociationValuesImpl moved = new AssociationValuesImpl(Set.of(ORDER_1));
        moved.remove(ORDER_1);
        moved.add(ORDER_2);
        inUnitOfWork(() -> cache.updateSaga(Progress.class, "s-1", saga, moved));
        assertMemoryAgreesWithTheDatabase();
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_2))).containsExactly("s-1");
        assertThat(inUnitOfWork(() -> cache.loadSaga(Progress.class, "s-1")).associationValues())
                .containsExactly(ORDER_2);

        inUnitOfWork(() -> cache.deleteSaga(Progress.class, "s-1", Set.of(ORDER_2)));
        assertMemoryAgreesWithTheDatabase();
        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_2))).isEmpty();
        assertThat(inUnitOfWork(() -> cache.loadSaga(Progress.class, "s-1"))).isNull();
    }

    @Test
    void anAssociationNotLookedUpBeforeIsReadFromTheDatabaseEvenIfASagaOfThisProcessHasIt() {
        database.insertCommitted("s-0", new Progress(1), Set.of(ORDER_1));
        inUnitOfWork(() -> cache.insertSaga(Progress.class, "s-1", new Progress(1), Set.of(ORDER_1)));

        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1))).containsExactlyInAnyOrder("s-0",
                "s-1");
    }

    @Test
    void aLookupRacingACommitIsNotCached() throws Exception {
        CountDownLatch lookupRunning = new CountDownLatch(1);
        CountDownLatch commitDone = new CountDownLatch(1);
        database.afterFindRead = () -> {
            lookupRunning.countDown();
            await(commitDone);
        };
        // The lookup reads the database before the saga is committed ...
        CompletableFuture<Set<String>> racing = CompletableFuture.supplyAsync(
                () -> inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1)));
        await(lookupRunning);
        database.afterFindRead = () -> { };
        inUnitOfWork(() -> cache.insertSaga(Progress.class, "s-1", new Progress(1), Set.of(ORDER_1)));
        commitDone.countDown();
        // ... so its answer is already out of date, and must not be kept.
        assertThat(racing.get(5, TimeUnit.SECONDS)).isEmpty();

        assertThat(inUnitOfWork(() -> cache.findSagas(Progress.class, ORDER_1))).containsExactly("s-1");
    }

    /** Every lookup the cache holds gives what the database would. */
    private void assertMemoryAgreesWithTheDatabase() {
        cache.associations().asMap().forEach((association, ids) -> assertThat(ids)
                .as("%s", association)
                .isEqualTo(database.committedWith(new AssociationValue(association.key(), association.value()))));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <R> R inUnitOfWork(Supplier<R> work) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        R result = work.get();
        unitOfWork.commit();
        return result;
    }

    private static void inUnitOfWork(Runnable work) {
        inUnitOfWork(() -> {
            work.run();
            return null;
        });
    }

    /** A saga whose state the handlers change in place. */
    static final class Progress {
        int step;

        Progress(int step) {
            this.step = step;
        }
    }

    /**
     * A store that keeps copies, as a database would, and applies writes when the unit of work commits, as a
     * transaction would; it counts its reads, and checks each lookup against what the cache would have answered.
     */
    private final class TransactionalStore implements SagaStore<Object> {

        private final Map<String, Integer> steps = new HashMap<>();
        private final Map<String, Set<AssociationValue>> associations = new HashMap<>();
        int loads;
        int finds;
        volatile Runnable afterFindRead = () -> { };

        synchronized void insertCommitted(String id, Progress saga, Set<AssociationValue> values) {
            steps.put(id, saga.step);
            associations.put(id, new HashSet<>(values));
        }

        @Override
        public Set<String> findSagas(Class<?> sagaType, AssociationValue value) {
            Set<String> found;
            synchronized (this) {
                finds++;
                found = committedWith(value);
            }
            // Read, not yet answered: what commits now is not in the answer.
            afterFindRead.run();
            return found;
        }

        synchronized Set<String> committedWith(AssociationValue value) {
            Set<String> ids = new HashSet<>();
            associations.forEach((id, values) -> {
                if (values.contains(value)) {
                    ids.add(id);
                }
            });
            return ids;
        }

        @Override
        @SuppressWarnings("unchecked")
        public synchronized <S> Entry<S> loadSaga(Class<S> sagaType, String id) {
            loads++;
            if (!steps.containsKey(id)) {
                return null;
            }
            Progress copy = new Progress(steps.get(id));
            Set<AssociationValue> values = Set.copyOf(associations.get(id));
            return new Entry<>() {
                @Override
                public Set<AssociationValue> associationValues() {
                    return values;
                }

                @Override
                public S saga() {
                    return (S) copy;
                }
            };
        }

        @Override
        public void insertSaga(Class<?> sagaType, String id, Object saga, Set<AssociationValue> values) {
            int step = ((Progress) saga).step;
            Set<AssociationValue> copy = Set.copyOf(values);
            onCommit(u -> insertCommitted(id, new Progress(step), copy));
        }

        @Override
        public void updateSaga(Class<?> sagaType, String id, Object saga,
                               org.axonframework.modelling.saga.AssociationValues values) {
            int step = ((Progress) saga).step;
            Set<AssociationValue> copy = Set.copyOf(values.asSet());
            onCommit(u -> insertCommitted(id, new Progress(step), copy));
        }

        @Override
        public void deleteSaga(Class<?> sagaType, String id, Set<AssociationValue> values) {
            onCommit(u -> {
                synchronized (this) {
                    steps.remove(id);
                    associations.remove(id);
                }
            });
        }

        private void onCommit(Consumer<UnitOfWork<?>> write) {
            org.axonframework.messaging.unitofwork.CurrentUnitOfWork.get().onCommit(write::accept);
        }
    }
}
