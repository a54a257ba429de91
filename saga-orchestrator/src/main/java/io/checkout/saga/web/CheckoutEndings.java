package io.checkout.saga.web;

import io.checkout.saga.query.CheckoutStatus;
import io.checkout.shared.checkout.CheckoutCompletedEvent;
import io.checkout.shared.checkout.CheckoutFailedEvent;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.support.web.DurableAnswers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The stream of checkouts as they end ({@code GET /checkouts/ended}, server-sent events): one {@code ended} event a
 * checkout, sent once the saga's end is committed and as durable as any HTTP answer ({@link DurableAnswers}). A
 * client that waits for its checkouts to end listens here instead of polling the running ones.
 *
 * <p>Each end is queued when the saga's unit of work has committed, and only while someone listens; one thread
 * sends what has gathered, after a single wait for the disk, as one write per listener. Listeners get the ends from
 * when they subscribed: one that (re)connects reads the state of checkouts it started earlier with
 * {@code GET /checkouts/{id}}. A listener that cannot keep up is dropped once its queue is full, and a stream whose
 * ends could not be made durable is closed: in both cases the client learns it from the end of the stream.
 */
@Component
@ProcessingGroup("checkout-view")
class CheckoutEndings implements SmartLifecycle {

    /** One checkout's end, as the stream sends it. */
    record Ended(String id, CheckoutStatus status, Instant endedAt) {
    }

    private static final Logger log = LoggerFactory.getLogger(CheckoutEndings.class);
    /** A comment line this often keeps proxies from closing a quiet stream and finds listeners that have gone. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** A stream lasts this long; the client then connects again (the browser's EventSource does so by itself). */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);
    /** The ends held for sending at most: past it, listeners are far behind, and are dropped. */
    static final int MAX_QUEUED = 100_000;

    private final DurableAnswers durable;
    private final List<SseEmitter> listeners = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Ended> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private Thread sender;
    private volatile boolean running;

    CheckoutEndings(ObjectProvider<DurableAnswers> durable) {
        this.durable = durable.getIfAvailable(() -> DurableAnswers.IMMEDIATE);
    }

    @Override
    public void start() {
        running = true;
        sender = new Thread(this::sendInRounds, "checkout-endings");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Closes every stream, first of all at shutdown (the highest phase stops first): the web server's graceful
     * shutdown would otherwise wait for the open streams until its timeout.
     */
    @Override
    public void stop() {
        running = false;
        if (sender != null) {
            sender.interrupt();
        }
        closeAll();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @EventHandler
    void on(CheckoutCompletedEvent event, @Timestamp Instant at) {
        ended(event.checkoutId(), CheckoutStatus.COMPLETED, at);
    }

    @EventHandler
    void on(CheckoutFailedEvent event, @Timestamp Instant at) {
        ended(event.checkoutId(), CheckoutStatus.FAILED, at);
    }

    private void ended(CheckoutId checkoutId, CheckoutStatus status, Instant at) {
        if (listeners.isEmpty()) {
            return;
        }
        Ended ended = new Ended(checkoutId.value(), status, at);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> offer(ended));
        } else {
            offer(ended);
        }
    }

    private void offer(Ended ended) {
        if (!queue.offer(ended)) {
            log.warn("Checkout ends are not sent as fast as they come: closing the {} streams", listeners.size());
            closeAll();
            queue.clear();
        }
    }

    /** A new listener: it hears of every checkout that ends from now on. */
    SseEmitter subscribe() {
        if (!running) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The service is stopping");
        }
        SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
        emitter.onCompletion(() -> listeners.remove(emitter));
        emitter.onTimeout(() -> listeners.remove(emitter));
        emitter.onError(e -> listeners.remove(emitter));
        listeners.add(emitter);
        // The response's headers go out now, so the client knows that it is subscribed.
        send(emitter, Set.copyOf(SseEmitter.event().comment("subscribed").build()));
        return emitter;
    }

    private void sendInRounds() {
        List<Ended> round = new ArrayList<>();
        long heartbeatNanos = HEARTBEAT.toNanos();
        long nextHeartbeat = System.nanoTime() + heartbeatNanos;
        while (running) {
            try {
                Ended first = queue.poll(Math.max(0, nextHeartbeat - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first == null) {
                    nextHeartbeat = System.nanoTime() + heartbeatNanos;
                    Set<DataWithMediaType> beat = Set.copyOf(SseEmitter.event().comment("heartbeat").build());
                    listeners.forEach(l -> send(l, beat));
                    continue;
                }
                round.add(first);
                queue.drainTo(round);
                // Each end was committed before it was queued: one wait covers all of them.
                durable.awaitDurable();
                Set<DataWithMediaType> events = new LinkedHashSet<>();
                for (Ended ended : round) {
                    events.addAll(SseEmitter.event().name("ended").id(ended.id()).data(ended).build());
                }
                listeners.forEach(l -> send(l, events));
            } catch (InterruptedException e) {
                return;
            } catch (TimeoutException | RuntimeException e) {
                log.error("Checkout ends could not be made durable; closing the {} streams", listeners.size(), e);
                closeAll();
            } finally {
                round.clear();
            }
        }
    }

    private void send(SseEmitter listener, Set<DataWithMediaType> events) {
        try {
            listener.send(events);
        } catch (IOException | IllegalStateException gone) {
            // The client went away (or the stream ended): it is removed by the emitter's callbacks.
            listeners.remove(listener);
        }
    }

    private void closeAll() {
        listeners.forEach(SseEmitter::complete);
        listeners.clear();
    }
}
