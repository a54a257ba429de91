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
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds a SENT entry to a checkout's timeline for each command its saga sends, and keeps the checkout's current
 * step. The saga sends once its decision is committed, so this runs in a small transaction of its own.
 */
@Component
class CommandSentRecorder implements MessageDispatchInterceptor<CommandMessage<?>> {

    private final CheckoutViewRepository checkouts;
    private final CheckoutStepRepository steps;
    private final Clock clock;
    private final TransactionTemplate transactions;

    /** Axon's Spring configuration registers this bean with the command gateway, which the saga sends through. */
    CommandSentRecorder(CheckoutViewRepository checkouts, CheckoutStepRepository steps, Clock clock,
                        PlatformTransactionManager transactionManager) {
        this.checkouts = checkouts;
        this.steps = steps;
        this.clock = clock;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A saga command: its step, the order it is for, and the product for the per-line steps. */
    private record Sent(CheckoutStep step, OrderId orderId, ProductId productId) {
    }

    @Override
    public BiFunction<Integer, CommandMessage<?>, CommandMessage<?>> handle(List<? extends CommandMessage<?>> messages) {
        return (index, message) -> {
            sentStep(message.getPayload()).ifPresent(sent -> record(message, sent));
            return message;
        };
    }

    private void record(CommandMessage<?> message, Sent sent) {
        Object checkoutId = message.getMetaData().get(CheckoutMetaData.CHECKOUT_ID);
        transactions.executeWithoutResult(tx -> {
            Optional<String> id = checkoutId != null ? Optional.of(checkoutId.toString())
                    : checkouts.findByOrderId(sent.orderId().value()).map(CheckoutView::getId);
            id.filter(checkouts::existsById).ifPresent(c -> {
                checkouts.updateCurrentStep(c, sent.step().name());
                steps.save(new CheckoutStepView(c, clock.instant(), sent.step().name(), StepOutcome.SENT,
                        sent.productId() == null ? null : sent.productId().value(), null, "command sent"));
            });
        });
    }

    private static Optional<Sent> sentStep(Object payload) {
        if (payload instanceof CreateOrderCommand c) {
            return Optional.of(new Sent(CheckoutStep.CREATE_ORDER, c.orderId(), null));
        } else if (payload instanceof ReserveStockCommand c) {
            return Optional.of(new Sent(CheckoutStep.RESERVE_STOCK, c.orderId(), c.productId()));
        } else if (payload instanceof ApproveOrderCommand c) {
            return Optional.of(new Sent(CheckoutStep.APPROVE_ORDER, c.orderId(), null));
        } else if (payload instanceof CancelOrderCommand c) {
            return Optional.of(new Sent(CheckoutStep.CANCEL_ORDER, c.orderId(), null));
        } else if (payload instanceof ReleaseStockCommand c) {
            return Optional.of(new Sent(CheckoutStep.RELEASE_STOCK, c.orderId(), c.productId()));
        }
        return Optional.empty();
    }
}
