package io.checkout.product;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.product.ProductCreatedEvent;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.ProductRestockedEvent;
import io.checkout.shared.product.StockReleasedEvent;
import io.checkout.shared.product.StockReservationRejectedEvent;
import io.checkout.shared.product.StockReservedEvent;
import java.math.BigDecimal;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/**
 * A product is snapshotted as JSON: every part of its state must come back from the snapshot, or a product loaded
 * from one would forget a claim (and reserve twice for a repeated command) or its stock (and oversell).
 */
class ProductSnapshotTest {

    /** As the services' serializer is set up (service-support's AxonConfig). */
    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(JsonMapper.builder().addModule(new JavaTimeModule())
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build())
            .build();

    @Test
    void everyPartOfTheStateSurvivesASnapshot() {
        ProductId id = new ProductId("p-1");
        BigDecimal price = new BigDecimal("12.50");
        Product product = new Product();
        product.on(new ProductCreatedEvent(id, "Lamp", price, 10));
        product.on(new ProductRestockedEvent(id, 5));
        product.on(new StockReservedEvent(id, new OrderId("o-reserved"), 3, price));
        product.on(new StockReservedEvent(id, new OrderId("o-released"), 2, price));
        product.on(new StockReleasedEvent(id, new OrderId("o-released"), 2));
        product.on(new StockReservationRejectedEvent(id, new OrderId("o-rejected"), 50, "Not enough stock"));

        SerializedObject<byte[]> snapshot = serializer.serialize(product, byte[].class);
        Product restored = serializer.deserialize(snapshot);

        assertThat(restored).usingRecursiveComparison().isEqualTo(product);
        assertThat(new String(snapshot.getData())).contains("o-reserved", "RESERVED", "RELEASED", "REJECTED");
    }
}
