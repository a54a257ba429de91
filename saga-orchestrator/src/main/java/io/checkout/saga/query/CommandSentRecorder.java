package io.checkout.saga.query;

import io.checkout.shared.checkout.CheckoutMetaData;
import io.checkout.shared.checkout.CheckoutStep;
import io.checkout.shared.order.ApproveOrderCommand;
import io.checkout.shared.order.CancelOrderCommand;
import io.checkout.shared.order.CreateOrderCommand;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ReleaseStockCommand;
import io.checkout.shared.product.ReserveStockCommand;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds a SENT entry to a checkout's timeline for each command its saga sends (the last one is the checkout's
 * current step, see {@link CheckoutStepRepository#currentSteps}). The saga sends once its decision is committed, so the entries cannot join its transaction; rather than a
 * transaction per command on the saga's thread, they are queued and written by one writer, many to a transaction.
 * They may reach the timeline a moment after the command (and an entry queued when the process dies is lost: the
 * timeline is a view, the saga's state is unaffected).
 */
@Component
class CommandSentRecorder implements MessageDispatchInterceptor<CommandMessage<?>>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandSentRecorder.class);
    private static final int MAX_BATCH = 500;

    private final CheckoutRows rows;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final BlockingQueue<Sent> queue = new LinkedBlockingQueue<>();
    private volatile Thread writer;

    /** Axon's Spring configuration registers this bean with the command gateway, which the saga sends through. */
    CommandSentRecorder(CheckoutRows rows, Clock clock, PlatformTransactionManager transactionManager) {
        this.rows = rows;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A saga command as sent: its checkout (if the metadata says), step, order and, per line, product. */
    private record Sent(String checkoutId, CheckoutStep step, OrderId orderId, ProductId productId, Instant at) {
    }

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, message) -> {
            sent(message).ifPresent(queue::add);
            return message;
        };
    }

    private Optional<Sent> sent(CommandMessage<?> message) {
        Object metadata = message.getMetaData().get(CheckoutMetaData.CHECKOUT_ID);
        String checkoutId = metadata == null ? null : metadata.toString();
        Instant at = clock.instant();
        Object payload = message.getPayload();
        if (payload instanceof CreateOrderCommand c) {
            return Optional.of(new Sent(checkoutId, CheckoutStep.CREATE_ORDER, c.orderId(), null, at));
        } else if (payload instanceof ReserveStockCommand c) {
            return Optional.of(new Sent(checkoutId, CheckoutStep.RESERVE_STOCK, c.orderId(), c.productId(), at));
        } else if (payload instanceof ApproveOrderCommand c) {
            return Optional.of(new Sent(checkoutId, CheckoutStep.APPROVE_ORDER, c.orderId(), null, at));
        } else if (payload instanceof CancelOrderCommand c) {
            return Optional.of(new Sent(checkoutId, CheckoutStep.CANCEL_ORDER, c.orderId(), null, at));
        } else if (payload instanceof ReleaseStockCommand c) {
            return Optional.of(new Sent(checkoutId, CheckoutStep.RELEASE_STOCK, c.orderId(), c.productId(), at));
        }
        return Optional.empty();
    }

    private void writeLoop() {
        List<Sent> batch = new ArrayList<>();
        while (writer != null || !queue.isEmpty()) {
            try {
                Sent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Could not write {} timeline entries: {}", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Sent> batch) {
        transactions.executeWithoutResult(tx -> {
            List<CheckoutRows.Step> entries = new ArrayList<>(batch.size());
            for (Sent sent : batch) {
                Optional<String> id = sent.checkoutId() != null ? Optional.of(sent.checkoutId())
                        : rows.checkoutOf(sent.orderId().value());
                id.ifPresent(c -> entries.add(new CheckoutRows.Step(c, sent.at(), sent.step().name(), StepOutcome.SENT,
                        sent.productId() == null ? null : sent.productId().value(), null, "command sent")));
            }
            rows.addSteps(entries);
        });
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::writeLoop, "timeline-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    /** Stops after writing what is queued. */
    @Override
    public void stop() {
        Thread thread = writer;
        writer = null;
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }
}
