package io.checkout.saga.web;

import io.checkout.saga.IdempotencyKeyConflictException;
import io.checkout.saga.query.CheckoutStatus;
import io.checkout.shared.checkout.CheckoutId;
import io.checkout.shared.checkout.CheckoutMetaData;
import io.checkout.shared.checkout.ForceCheckoutCompensationCommand;
import io.checkout.shared.checkout.RetryCheckoutStepCommand;
import io.checkout.shared.checkout.StartCheckoutCommand;
import io.checkout.shared.checkout.StartNewCheckoutCommand;
import io.checkout.shared.order.CustomerId;
import io.checkout.shared.order.OrderId;
import io.checkout.shared.order.OrderLine;
import io.checkout.shared.product.ProductId;
import io.checkout.support.web.Commands;
import io.checkout.support.web.DurableAnswers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/checkouts")
class CheckoutController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The most units of one product a single line may ask for. */
    static final int MAX_QUANTITY = 10_000;
    static final int MAX_LINES = 100;
    static final int MAX_KEY_LENGTH = 200;

    private final CommandGateway commands;
    private final CheckoutReader reader;
    private final CheckoutAdmission admission;
    private final CheckoutEndings endings;

    CheckoutController(CommandGateway commands, CheckoutReader reader, CheckoutAdmission admission,
                       CheckoutEndings endings) {
        this.commands = commands;
        this.reader = reader;
        this.admission = admission;
        this.endings = endings;
    }

    record CheckoutRequest(@NotBlank @Size(max = 64) String customerId,
                           @NotNull @Size(min = 1, max = MAX_LINES) List<@NotNull @Valid LineRequest> lines) {
    }

    record LineRequest(@NotBlank @Size(max = 64) String productId,
                       @NotNull @Positive @Max(MAX_QUANTITY) Integer quantity) {
    }

    record CompensateRequest(@NotBlank @Size(max = 500) String reason) {
    }

    /**
     * Starts a checkout. With an {@value #IDEMPOTENCY_KEY}, the checkout's id is derived from the key: the same
     * key with the same body gives the same checkout (and starts nothing more), the same key with another body
     * is refused with 422.
     */
    @PostMapping
    @Operation(summary = "Start a checkout", description = "202 with the checkout; its saga runs on. With an "
            + "Idempotency-Key, the same key and body give the same checkout, another body gives 422. While "
            + "checkout.admission.max-running checkouts are running: 503 with Retry-After.")
    ResponseEntity<CheckoutResponses.Checkout> start(
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
            @Valid @RequestBody CheckoutRequest request) {
        CheckoutId id = key == null ? CheckoutId.random() : idFor(key);
        List<OrderLine> lines = linesOf(request);
        try {
            admission.admit();
        } catch (CheckoutAdmission.Overloaded full) {
            // A replay of a key already used starts nothing: it is answered even when the system is full.
            if (key == null || !reader.exists(id.value())) {
                throw full;
            }
        }
        StartCheckoutCommand command = new StartCheckoutCommand(id, OrderId.random(),
                new CustomerId(request.customerId()), lines, fingerprint(request));
        // Without a key the id was made just now: the checkout is created without being looked up first.
        Object started = Commands.sendAndWait(commands, GenericCommandMessage.asCommandMessage(
                        key == null ? new StartNewCheckoutCommand(command) : command)
                .andMetaData(Map.of(CheckoutMetaData.CHECKOUT_ID, id.value())));
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create("/checkouts/" + id));
        if (key != null && !Boolean.TRUE.equals(started)) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(reader.detail(id.value(), false));
    }

    @GetMapping("/{id}")
    @Operation(summary = "A checkout with its full timeline, and its order and products as they are now")
    CheckoutResponses.Checkout get(@PathVariable String id,
                                   @Parameter(description = "false: leave out the order's and products' state now "
                                           + "(no calls to the other services; for clients that poll)")
                                   @RequestParam(defaultValue = "true") boolean participants) {
        return reader.detail(id, participants);
    }

    @GetMapping
    @Operation(summary = "Checkouts, newest first", description = "Filters combine: status, started since an "
            + "instant, and stuck=true for those running longer than checkout.explorer.stuck-after.")
    CheckoutResponses.Page list(@RequestParam(required = false) CheckoutStatus status,
                                @RequestParam(required = false) Instant since,
                                @RequestParam(defaultValue = "false") boolean stuck,
                                @RequestParam(defaultValue = "0") @Min(0) int page,
                                @RequestParam(defaultValue = "20") @Min(1) @Max(500) int size) {
        return reader.list(status, since, stuck, page, size);
    }

    @GetMapping("/ended")
    @Operation(summary = "Checkouts as they end, as server-sent events", description = "One event named ended a "
            + "checkout, with its id as the event id and {id, status, endedAt} as data, sent once the end is durable, "
            + "from the moment of subscribing; a comment every 15 s. The stream closes after 30 minutes (connect "
            + "again), or when it falls too far behind. Needs Accept: text/event-stream.")
    SseEmitter ended(HttpServletRequest request) throws HttpMediaTypeNotAcceptableException {
        if (!DurableAnswers.asksForEvents(request)) {
            throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.TEXT_EVENT_STREAM));
        }
        return endings.subscribe();
    }

    @GetMapping("/stats")
    @Operation(summary = "Counts by status, stuck checkouts, and throughput and latency over a recent window")
    CheckoutResponses.Stats stats(@RequestParam(defaultValue = "PT5M") Duration window,
                                  @RequestParam(defaultValue = "PT5S") Duration bucket) {
        if (bucket.toMillis() < 1000 || window.compareTo(Duration.ofHours(1)) > 0
                || window.toMillis() / bucket.toMillis() > 720) {
            throw new IllegalArgumentException("bucket must be at least 1 s, window at most 1 h and 720 buckets");
        }
        return reader.stats(window, bucket);
    }

    @PostMapping("/{id}/actions/retry")
    @Operation(summary = "Operator: send the current step's commands again now (admin credentials)")
    ResponseEntity<CheckoutResponses.Checkout> retry(@PathVariable String id, Principal operator) {
        requireRunning(id);
        Commands.sendAndWait(commands, new RetryCheckoutStepCommand(new CheckoutId(id), name(operator)));
        return ResponseEntity.accepted().body(reader.detail(id, false));
    }

    @PostMapping("/{id}/actions/compensate")
    @Operation(summary = "Operator: give up on a running checkout and compensate it (admin credentials)")
    ResponseEntity<CheckoutResponses.Checkout> compensate(@PathVariable String id,
                                                          @Valid @RequestBody CompensateRequest request,
                                                          Principal operator) {
        requireRunning(id);
        Commands.sendAndWait(commands, new ForceCheckoutCompensationCommand(new CheckoutId(id), name(operator),
                request.reason()));
        return ResponseEntity.accepted().body(reader.detail(id, false));
    }

    private void requireRunning(String id) {
        if (reader.view(id).getStatus() != CheckoutStatus.RUNNING) {
            throw new IllegalStateException("Checkout " + id + " has ended; only a running checkout can be acted on");
        }
    }

    private static String name(Principal operator) {
        return operator == null ? "operator on loopback" : operator.getName();
    }

    @ExceptionHandler(CheckoutAdmission.Overloaded.class)
    ResponseEntity<ProblemDetail> overloaded(CheckoutAdmission.Overloaded ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        problem.setTitle("Too many checkouts running");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
                .body(problem);
    }

    @ExceptionHandler(IdempotencyKeyConflictException.class)
    ResponseEntity<ProblemDetail> conflict(IdempotencyKeyConflictException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, ex.getMessage());
        problem.setTitle("Idempotency-Key reused with another request");
        return ResponseEntity.unprocessableEntity().body(problem);
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
