package io.checkout.product;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.CreateProductCommand;
import io.checkout.shared.product.ProductCreatedEvent;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ProductRestockedEvent;
import io.checkout.shared.product.ReleaseStockCommand;
import io.checkout.shared.product.ReserveStockCommand;
import io.checkout.shared.product.RestockProductCommand;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservationRejectedEvent;
import io.checkout.shared.product.StockReservedEvent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A product and its stock. Each order's claim on the stock is kept by order id and moves one way only:
 * none -> RESERVED -> RELEASED, none -> REJECTED, or none -> RELEASED (released before its reserve arrived).
 * So a repeated reserve or release changes nothing, and a reserve that comes after its release is rejected.
 */
@Aggregate(cache = "aggregateCache", snapshotTriggerDefinition = "aggregateSnapshotTrigger")
class Product {

    // The state is also a snapshot (JSON, every checkout.aggregates.snapshot-every events): every field is named
    // for Jackson, and claims are keyed by the order id's text.
    @AggregateIdentifier
    @JsonProperty
    private ProductId productId;
    @JsonProperty
    private BigDecimal price;
    @JsonProperty
    private int available;
    @JsonProperty
    private final Map<String, Claim> claims = new HashMap<>();

    /** One order's claim on this product's stock. */
    record Claim(ClaimState state, int quantity) {
    }

    enum ClaimState { RESERVED, RELEASED, REJECTED }

    protected Product() {
        // for Axon
    }

    @CommandHandler
    Product(CreateProductCommand command) {
        if (command.name() == null || command.name().isBlank()) {
            throw new IllegalArgumentException("A product needs a name");
        }
        if (command.price() == null || command.price().signum() < 0) {
            throw new IllegalArgumentException("A product's price cannot be negative");
        }
        if (command.stock() < 0) {
            throw new IllegalArgumentException("A product's stock cannot be negative");
        }
        apply(new ProductCreatedEvent(command.productId(), command.name(), command.price(), command.stock()));
    }

    @CommandHandler
    void handle(RestockProductCommand command) {
        if (command.quantity() <= 0) {
            throw new IllegalArgumentException("A restock must add at least one unit");
        }
        if ((long) available + command.quantity() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("A restock cannot take the stock past " + Integer.MAX_VALUE);
        }
        apply(new ProductRestockedEvent(productId, command.quantity()));
    }

    @CommandHandler
    void handle(ReserveStockCommand command) {
        if (command.quantity() <= 0) {
            throw new IllegalArgumentException("A reservation must hold at least one unit");
        }
        Claim claim = claims.get(command.orderId().value());
        if (claim == null) {
            if (command.quantity() > available) {
                apply(new StockReservationRejectedEvent(productId, command.orderId(), command.quantity(),
                        "Not enough stock: " + available + " available, " + command.quantity() + " requested"));
            } else {
                apply(new StockReservedEvent(productId, command.orderId(), command.quantity(), price));
            }
        } else if (claim.state() == ClaimState.RELEASED) {
            apply(new StockReservationRejectedEvent(productId, command.orderId(), command.quantity(),
                    "Order " + command.orderId() + " was already released"));
        }
        // RESERVED or REJECTED: a repeat of a reserve already answered; nothing more is held.
    }

    @CommandHandler
    void handle(ReleaseStockCommand command) {
        Claim claim = claims.get(command.orderId().value());
        if (claim == null) {
            // The reserve has not arrived (yet): remember the release so that the reserve is rejected.
            apply(new StockReleasedEvent(productId, command.orderId(), 0));
        } else if (claim.state() == ClaimState.RESERVED) {
            apply(new StockReleasedEvent(productId, command.orderId(), claim.quantity()));
        }
        // RELEASED or REJECTED: nothing is held for the order.
    }

    @EventSourcingHandler
    void on(ProductCreatedEvent event) {
        productId = event.productId();
        price = event.price();
        available = event.stock();
    }

    @EventSourcingHandler
    void on(ProductRestockedEvent event) {
        available += event.quantity();
    }

    @EventSourcingHandler
    void on(StockReservedEvent event) {
        available -= event.quantity();
        claims.put(event.orderId().value(), new Claim(ClaimState.RESERVED, event.quantity()));
    }

    @EventSourcingHandler
    void on(StockReservationRejectedEvent event) {
        claims.put(event.orderId().value(), new Claim(ClaimState.REJECTED, 0));
    }

    @EventSourcingHandler
    void on(StockReleasedEvent event) {
        available += event.quantity();
        claims.put(event.orderId().value(), new Claim(ClaimState.RELEASED, 0));
    }
}
