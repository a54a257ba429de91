package io.checkout.product.web;

import io.checkout.product.query.ProductView;
import io.checkout.product.query.ProductViewRepository;
import io.checkout.product.query.ReservationView;
import io.checkout.product.query.ReservationViewRepository;
import io.checkout.shared.product.CreateProductCommand;
import io.checkout.shared.product.ProductId;
import io.checkout.shared.product.RestockProductCommand;
import io.checkout.support.web.Commands;
import io.checkout.support.web.NotFoundException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/products")
class ProductController {

    /** The largest stock or restock one request may set. */
    static final int MAX_UNITS = 1_000_000_000;

    private final CommandGateway commands;
    private final ProductViewRepository catalogue;
    private final ReservationViewRepository reservations;

    ProductController(CommandGateway commands, ProductViewRepository catalogue,
                      ReservationViewRepository reservations) {
        this.commands = commands;
        this.catalogue = catalogue;
        this.reservations = reservations;
    }

    record CreateProductRequest(@NotBlank @Size(max = 200) String name,
                                @NotNull @DecimalMin("0.00") @Digits(integer = 15, fraction = 2) BigDecimal price,
                                @NotNull @PositiveOrZero @Max(MAX_UNITS) Integer stock) {
    }

    record RestockRequest(@NotNull @Positive @Max(MAX_UNITS) Integer quantity) {
    }

    /**
     * @param stock        units available to new checkouts
     * @param reserved     units held by orders
     * @param initialStock the stock the product was created with
     * @param restocked    all units added since; stock + reserved = initialStock + restocked
     */
    record ProductResponse(String id, String name, BigDecimal price, int stock, int reserved, int initialStock,
                           long restocked) {
        static ProductResponse of(ProductView view) {
            return new ProductResponse(view.getId(), view.getName(), view.getPrice(), view.getStock(),
                    view.getReserved(), view.getInitialStock(), view.getRestocked());
        }
    }

    record ReservationResponse(String orderId, ReservationView.State state, int quantity, Instant updatedAt) {
    }

    @PostMapping
    ResponseEntity<ProductResponse> create(@Valid @RequestBody CreateProductRequest request) {
        ProductId id = ProductId.random();
        Commands.sendAndWait(commands,
                new CreateProductCommand(id, request.name().strip(), request.price(), request.stock()));
        return ResponseEntity.created(URI.create("/products/" + id.value())).body(find(id.value()));
    }

    @GetMapping
    List<ProductResponse> list() {
        return catalogue.findAll(Sort.by("name", "id")).stream().map(ProductResponse::of).toList();
    }

    @GetMapping("/{id}")
    ProductResponse get(@PathVariable String id) {
        return find(id);
    }

    /** Every order's claim on this product: what it holds now (RESERVED) or why it holds nothing. */
    @GetMapping("/{id}/reservations")
    List<ReservationResponse> reservations(@PathVariable String id) {
        find(id);
        return reservations.findByProductIdOrderByUpdatedAtAsc(id).stream()
                .map(r -> new ReservationResponse(r.getOrderId(), r.getState(), r.getQuantity(), r.getUpdatedAt()))
                .toList();
    }

    @PostMapping("/{id}/restock")
    ProductResponse restock(@PathVariable String id, @Valid @RequestBody RestockRequest request) {
        find(id);
        Commands.sendAndWait(commands, new RestockProductCommand(new ProductId(id), request.quantity()));
        return find(id);
    }

    private ProductResponse find(String id) {
        return catalogue.findById(id).map(ProductResponse::of).orElseThrow(() -> new NotFoundException("product", id));
    }
}
