package io.checkout.saga.web;

import io.checkout.saga.IdempotencyKeyConflictException;
import io.checkout.saga.query.CheckoutStatus;
import io.checkout.saga.query.CheckoutStepRepository;
import io.checkout.saga.query.CheckoutStepView;
import io.checkout.saga.query.CheckoutView;
import io.checkout.saga.query.CheckoutViewRepository;
import io.checkout.saga.query.StepOutcome;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.StartCheckoutCommand;
import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.product.ProductId;
import io.checkout.support.web.Commands;
import io.checkout.support.web.NotFoundException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/checkouts")
class CheckoutController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The most units of one product a single line may ask for. */
    static final int MAX_QUANTITY = 10_000;
    static final int MAX_LINES = 100;
    static final int MAX_KEY_LENGTH = 200;

    private final CommandGateway commands;
    private final CheckoutViewRepository checkouts;
    private final CheckoutStepRepository steps;

    CheckoutController(CommandGateway commands, CheckoutViewRepository checkouts, CheckoutStepRepository steps) {
        this.commands = commands;
        this.checkouts = checkouts;
        this.steps = steps;
    }

    record CheckoutRequest(@NotBlank @Size(max = 64) String customerId,
                           @NotNull @Size(min = 1, max = MAX_LINES) List<@NotNull @Valid LineRequest> lines) {
    }

    record LineRequest(@NotBlank @Size(max = 64) String productId,
                       @NotNull @Positive @Max(MAX_QUANTITY) Integer quantity) {
    }

    record StepResponse(Instant at, String step, StepOutcome outcome, String productId, Integer attempt,
                        String detail) {
        static StepResponse of(CheckoutStepView step) {
            return new StepResponse(step.getAt(), step.getStep(), step.getOutcome(), step.getProductId(),
                    step.getAttempt(), step.getDetail());
        }
    }

    record CheckoutResponse(String id, CheckoutStatus status, String orderId, String customerId, String lines,
                            String failedStep, String reason, BigDecimal total, Instant createdAt,
                            Instant endedAt, List<StepResponse> steps) {
    }

    record CheckoutSummary(String id, CheckoutStatus status, String orderId, String customerId, String failedStep,
                           String reason, Instant createdAt, Instant endedAt) {
        static CheckoutSummary of(CheckoutView view) {
            return new CheckoutSummary(view.getId(), view.getStatus(), view.getOrderId(), view.getCustomerId(),
                    view.getFailedStep(), view.getReason(), view.getCreatedAt(), view.getEndedAt());
        }
    }

    record CheckoutPage(List<CheckoutSummary> items, int page, int size, long totalItems, int totalPages) {
    }

    /**
     * Starts a checkout. With an {@value #IDEMPOTENCY_KEY}, the checkout's id is derived from the key: the same
     * key with the same body gives the same checkout (and starts nothing more), the same key with another body
     * is refused with 422.
     */
    @PostMapping
    ResponseEntity<CheckoutResponse> start(@RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                           @Valid @RequestBody CheckoutRequest request) {
        CheckoutId id = key == null ? CheckoutId.random() : idFor(key);
        List<OrderLine> lines = linesOf(request);
        Boolean started = Commands.sendAndWait(commands, new StartCheckoutCommand(id, OrderId.random(),
                new CustomerId(request.customerId()), lines, fingerprint(request)));
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/checkouts/" + id));
        if (!Boolean.TRUE.equals(started)) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(find(id.value()));
    }

    @GetMapping("/{id}")
    CheckoutResponse get(@PathVariable String id) {
        return find(id);
    }

    @GetMapping
    CheckoutPage list(@RequestParam(required = false) CheckoutStatus status,
                      @RequestParam(defaultValue = "0") @Min(0) int page,
                      @RequestParam(defaultValue = "20") @Min(1) @Max(500) int size) {
        PageRequest pageable = PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt", "id"));
        Page<CheckoutView> found = status == null ? checkouts.findAll(pageable)
                : checkouts.findByStatus(status, pageable);
        return new CheckoutPage(found.map(CheckoutSummary::of).getContent(), page, size, found.getTotalElements(),
                found.getTotalPages());
    }

    @ExceptionHandler(IdempotencyKeyConflictException.class)
    ResponseEntity<ProblemDetail> conflict(IdempotencyKeyConflictException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, ex.getMessage());
        problem.setTitle("Idempotency-Key reused with another request");
        return ResponseEntity.unprocessableEntity().body(problem);
    }

    private CheckoutResponse find(String id) {
        CheckoutView view = checkouts.findById(id).orElseThrow(() -> new NotFoundException("checkout", id));
        List<StepResponse> timeline = steps.findByCheckoutIdOrderByAtAscIdAsc(id).stream()
                .map(StepResponse::of).toList();
        return new CheckoutResponse(view.getId(), view.getStatus(), view.getOrderId(), view.getCustomerId(),
                view.getLines(), view.getFailedStep(), view.getReason(), view.getTotal(), view.getCreatedAt(),
                view.getEndedAt(), timeline);
    }

    private static List<OrderLine> linesOf(CheckoutRequest request) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < request.lines().size(); i++) {
            Integer earlier = seen.putIfAbsent(request.lines().get(i).productId(), i);
            if (earlier != null) {
                throw new IllegalArgumentException("lines[" + i + "] names the same product as lines[" + earlier
                        + "]; put each product on one line");
            }
        }
        return request.lines().stream()
                .map(l -> new OrderLine(new ProductId(l.productId()), l.quantity()))
                .toList();
    }

    private static CheckoutId idFor(String key) {
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        return new CheckoutId(UUID.nameUUIDFromBytes(("idempotency-key:" + key).getBytes(StandardCharsets.UTF_8))
                .toString());
    }

    /** Identifies the request body: the customer and the lines, in order. */
    private static String fingerprint(CheckoutRequest request) {
        StringBuilder canonical = new StringBuilder(request.customerId());
        request.lines().forEach(l -> canonical.append('\n').append(l.productId()).append('\t').append(l.quantity()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
