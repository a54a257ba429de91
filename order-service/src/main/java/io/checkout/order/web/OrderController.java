package io.checkout.order.web;

import io.checkout.order.OrderStatus;
import io.checkout.order.query.CatalogueEntry;
import io.checkout.order.query.CatalogueReplicaRepository;
import io.checkout.order.query.OrderLineView;
import io.checkout.order.query.OrderView;
import io.checkout.order.query.OrderViewRepository;
import io.checkout.support.web.NotFoundException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderViewRepository orders;
    private final CatalogueReplicaRepository catalogue;

    OrderController(OrderViewRepository orders, CatalogueReplicaRepository catalogue) {
        this.orders = orders;
        this.catalogue = catalogue;
    }

    /**
     * @param unitPrice the price the stock was reserved at once the order is approved; before that, the
     *                  catalogue's current price (null for a product the catalogue does not know)
     */
    record LineResponse(String productId, String productName, int quantity, BigDecimal unitPrice,
                        BigDecimal lineTotal) {
    }

    /** @param total the approved total; for a PENDING order, what it would cost at the catalogue's prices */
    record OrderResponse(String id, String customerId, OrderStatus status, List<LineResponse> lines,
                         BigDecimal total, String reason, Instant createdAt, Instant updatedAt) {
    }

    @GetMapping("/{id}")
    OrderResponse get(@PathVariable String id) {
        OrderView order = orders.findById(id).orElseThrow(() -> new NotFoundException("order", id));
        Map<String, CatalogueEntry> products = catalogue
                .findAllById(order.getLines().stream().map(OrderLineView::getProductId).toList()).stream()
                .collect(Collectors.toMap(CatalogueEntry::getProductId, Function.identity()));
        List<LineResponse> lines = order.getLines().stream().map(line -> {
            CatalogueEntry product = products.get(line.getProductId());
            BigDecimal price = line.getUnitPrice() != null ? line.getUnitPrice()
                    : product != null ? product.getUnitPrice() : null;
            return new LineResponse(line.getProductId(), product != null ? product.getName() : null,
                    line.getQuantity(), price,
                    price != null ? price.multiply(BigDecimal.valueOf(line.getQuantity())) : null);
        }).toList();
        BigDecimal total = order.getTotal() != null ? order.getTotal()
                : order.getStatus() == OrderStatus.PENDING && lines.stream().allMatch(l -> l.lineTotal() != null)
                ? lines.stream().map(LineResponse::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add) : null;
        return new OrderResponse(order.getId(), order.getCustomerId(), order.getStatus(), lines, total,
                order.getReason(), order.getCreatedAt(), order.getUpdatedAt());
    }
}
