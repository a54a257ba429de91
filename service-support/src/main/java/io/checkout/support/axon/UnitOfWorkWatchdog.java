package io.checkout.support.axon;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.timeout.AxonTimeoutException;
import org.axonframework.messaging.timeout.TaskTimeoutSettings;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's watchdog around each unit of work (a command, a processor's batch, a deadline, a query), with its settings
 * ({@code axon.timeout.transaction.*}) and its behaviour: a warning with the thread's stack once the unit has run
 * past its warning threshold and again at each interval, the thread interrupted at its timeout, an interruption
 * that a handler swallowed turned into an {@link AxonTimeoutException} so that the unit rolls back, and the
 * interrupt cleared when the unit ends. Axon 4.13's own ({@code UnitOfWorkTimeoutInterceptor}) also walks the
 * thread's whole stack when each unit of work starts, to trim the stacks of its warnings: about 20 µs a walk, six
 * a checkout, 3.1% of the application's CPU under load (docs/performance.md). This one takes a stack only for a
 * warning, from the janitor's thread; starting a unit of work costs an entry in a set.
 *
 * <p>One task per root unit of work: nested units (the subscribing processors inside a command) are covered by
 * their root, as in Axon.
 */
public final class UnitOfWorkWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UnitOfWorkWatchdog.class);
    private static final String RESOURCE = UnitOfWorkWatchdog.class.getName();

    private final Set<Task> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService janitor;
    private final AtomicLong warnings = new AtomicLong();
    private final AtomicLong interruptions = new AtomicLong();

    /** @param scan how often the janitor looks at the running units: the warnings' and timeouts' precision */
    public UnitOfWorkWatchdog(Duration scan) {
        janitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "unit-of-work-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        janitor.scheduleWithFixedDelay(this::scan, scan.toMillis(), scan.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The interceptor for one component's units of work; settings with a negative timeout and warning threshold
     * watch nothing.
     */
    public <T extends Message<?>> MessageHandlerInterceptor<T> interceptor(String component,
                                                                          TaskTimeoutSettings settings) {
        if (settings.getTimeoutMs() < 0 && settings.getWarningThresholdMs() < 0) {
            return (unitOfWork, chain) -> chain.proceed();
        }
        return (unitOfWork, chain) -> {
            UnitOfWork<?> root = unitOfWork.root();
            if (root.resources().containsKey(RESOURCE)) {
                return chain.proceed();
            }
            Task task = new Task(component, root.getMessage(), Thread.currentThread(), settings);
            root.resources().put(RESOURCE, task);
            running.add(task);
            root.onCleanup(done -> complete(task));
            Object result = chain.proceed();
            if (task.interrupted()) {
                throw new AxonTimeoutException(task.name() + " has timed out");
            }
            return result;
        };
    }

    /** How many warnings the janitor has logged. */
    public long warnings() {
        return warnings.get();
    }

    /** How many units of work the janitor has interrupted. */
    public long interruptions() {
        return interruptions.get();
    }

    /** How many units of work are being watched. */
    int watched() {
        return running.size();
    }

    private void complete(Task task) {
        running.remove(task);
        task.complete();
    }

    private void scan() {
        long now = System.nanoTime();
        for (Task task : running) {
            try {
                task.check(now);
            } catch (RuntimeException e) {
                log.warn("Could not check {}", task.name(), e);
            }
        }
    }

    @Override
    public void close() {
        janitor.shutdownNow();
    }

    private final class Task {

        private final String component;
        private final Message<?> message;
        private final Thread thread;
        private final TaskTimeoutSettings settings;
        private final long start = System.nanoTime();
        /** When the next warning is due, in ms since the start; guarded by {@code this}. */
        private long nextWarning;
        private boolean completed;
        private boolean interrupted;

        Task(String component, Message<?> message, Thread thread, TaskTimeoutSettings settings) {
            this.component = component;
            this.message = message;
            this.thread = thread;
            this.settings = settings;
            int threshold = settings.getWarningThresholdMs();
            this.nextWarning = threshold >= 0 ? threshold : Long.MAX_VALUE;
        }

        String name() {
            return "Unit of work of " + component + " handling "
                    + (message == null ? "no message" : message.getPayloadType().getSimpleName());
        }

        synchronized boolean interrupted() {
            return interrupted;
        }

        synchronized void check(long now) {
            if (completed || interrupted) {
                return;
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(now - start);
            int timeout = settings.getTimeoutMs();
            if (timeout >= 0 && elapsed >= timeout) {
                interrupted = true;
                interruptions.incrementAndGet();
                log.warn("{} has run for {} ms, past its timeout of {} ms: interrupting thread [{}]. It is at:{}",
                        name(), elapsed, timeout, thread.getName(), stack());
                thread.interrupt();
            } else if (elapsed >= nextWarning) {
                warnings.incrementAndGet();
                log.warn("{} has run for {} ms on thread [{}]{}. It is at:{}", name(), elapsed, thread.getName(),
                        timeout >= 0 ? "; it will be interrupted in " + (timeout - elapsed) + " ms" : "", stack());
                nextWarning = elapsed + Math.max(1, settings.getWarningIntervalMs());
            }
        }

        /** Ends the watch on the unit's own thread, clearing an interrupt of the janitor's that came too late. */
        synchronized void complete() {
            completed = true;
            if (interrupted && Thread.currentThread() == thread) {
                Thread.interrupted();
            }
        }

        private String stack() {
            return Arrays.stream(thread.getStackTrace()).map(frame -> "\n\tat " + frame)
                    .collect(Collectors.joining());
        }
    }
}
