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
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
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

    record OrderPage(List<OrderResponse> items, int page, int size, long totalItems, int totalPages) {
    }

    /** Orders, oldest first (a stable order for paging through all of them while more arrive). */
    @GetMapping
    OrderPage list(@RequestParam(required = false) OrderStatus status,
                   @RequestParam(defaultValue = "0") @Min(0) int page,
                   @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int size) {
        PageRequest pageable = PageRequest.of(page, size, Sort.by("createdAt", "id"));
        Page<OrderView> found = status == null ? orders.findAll(pageable) : orders.findByStatus(status, pageable);
        return new OrderPage(found.map(this::response).getContent(), page, size, found.getTotalElements(),
                found.getTotalPages());
    }

    @GetMapping("/{id}")
    OrderResponse get(@PathVariable String id) {
        return response(orders.findById(id).orElseThrow(() -> new NotFoundException("order", id)));
    }

    private OrderResponse response(OrderView order) {
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
