package io.checkout.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the invariants of the design against a {@link Snapshot}:
 * <ul>
 *   <li>I1 no APPROVED order without a reservation of every line's quantity;</li>
 *   <li>I2 per product, available + reserved = initial + restocked, available &gt;= 0, and reserved is what the
 *       product's reservations hold;</li>
 *   <li>I3 every checkout ends: none running longer than allowed, and a FAILED one holds no stock anywhere;</li>
 *   <li>I4 one effect per request: each order belongs to exactly one checkout, each accepted checkout id once;</li>
 *   <li>I5 every accepted checkout exists and has an order whose outcome matches its own once it has ended.</li>
 * </ul>
 */
public class Auditor {

    /**
     * @param maxRunning how long a checkout may still be running without it counting against I3 (zero: none may)
     */
    public record Settings(Duration maxRunning) {
        public static Settings strict() {
            return new Settings(Duration.ZERO);
        }
    }

    private final Settings settings;

    public Auditor(Settings settings) {
        this.settings = settings;
    }

    /** @param accepted ids of checkouts the caller saw accepted (2xx); may be empty */
    public List<Violation> audit(Snapshot snapshot, Collection<String> accepted) {
        List<Violation> violations = new ArrayList<>();
        Map<String, JsonNode> orders = new HashMap<>();
        snapshot.orders().forEach(o -> orders.put(o.path("id").asText(), o));
        Map<String, Map<String, JsonNode>> claimsByOrder = new HashMap<>(); // order -> product -> reservation
        snapshot.reservations().forEach((product, list) -> list.forEach(r -> claimsByOrder
                .computeIfAbsent(r.path("orderId").asText(), k -> new HashMap<>()).put(product, r)));

        checkApprovedOrdersHoldTheirStock(snapshot, claimsByOrder, violations);
        checkStockAddsUp(snapshot, violations);
        checkCheckoutsEnded(snapshot, orders, claimsByOrder, violations);
        checkOneEffectPerRequest(snapshot, orders, accepted, violations);
        checkEveryCheckoutHasItsOrder(snapshot, orders, accepted, violations);
        return violations;
    }

    private static void checkApprovedOrdersHoldTheirStock(Snapshot snapshot,
                                                          Map<String, Map<String, JsonNode>> claimsByOrder,
                                                          List<Violation> violations) {
        for (JsonNode order : snapshot.orders()) {
            if (!"APPROVED".equals(order.path("status").asText())) {
                continue;
            }
            String orderId = order.path("id").asText();
            for (JsonNode line : order.path("lines")) {
                String product = line.path("productId").asText();
                JsonNode claim = claimsByOrder.getOrDefault(orderId, Map.of()).get(product);
                if (claim == null || !"RESERVED".equals(claim.path("state").asText())
                        || claim.path("quantity").asInt() != line.path("quantity").asInt()) {
                    violations.add(new Violation("I1", "order " + orderId, "APPROVED, but product " + product
                            + " holds " + (claim == null ? "nothing" : claim.path("state").asText() + " "
                            + claim.path("quantity").asInt()) + " of the " + line.path("quantity").asInt()
                            + " ordered"));
                }
            }
        }
    }

    private static void checkStockAddsUp(Snapshot snapshot, List<Violation> violations) {
        for (JsonNode product : snapshot.products()) {
            String id = product.path("id").asText();
            long stock = product.path("stock").asLong();
            long reserved = product.path("reserved").asLong();
            long supplied = product.path("initialStock").asLong() + product.path("restocked").asLong();
            if (stock + reserved != supplied) {
                violations.add(new Violation("I2", "product " + id, "available " + stock + " + reserved " + reserved
                        + " != initial + restocked " + supplied));
            }
            if (stock < 0) {
                violations.add(new Violation("I2", "product " + id, "oversold: available is " + stock));
            }
            long held = snapshot.reservations().getOrDefault(id, List.of()).stream()
                    .filter(r -> "RESERVED".equals(r.path("state").asText()))
                    .mapToLong(r -> r.path("quantity").asLong()).sum();
            if (held != reserved) {
                violations.add(new Violation("I2", "product " + id, "reports " + reserved
                        + " reserved, but its reservations hold " + held));
            }
        }
    }

    private void checkCheckoutsEnded(Snapshot snapshot, Map<String, JsonNode> orders,
                                     Map<String, Map<String, JsonNode>> claimsByOrder, List<Violation> violations) {
        for (JsonNode checkout : snapshot.checkouts()) {
            String id = checkout.path("id").asText();
            String status = checkout.path("status").asText();
            if ("RUNNING".equals(status)
                    && checkout.path("ageMillis").asLong() > settings.maxRunning().toMillis()) {
                violations.add(new Violation("I3", "checkout " + id, "still RUNNING after "
                        + checkout.path("ageMillis").asLong() + " ms (at step " + checkout.path("currentStep").asText()
                        + ")"));
            }
            if ("FAILED".equals(status)) {
                String orderId = checkout.path("orderId").asText();
                claimsByOrder.getOrDefault(orderId, Map.of()).forEach((product, claim) -> {
                    if ("RESERVED".equals(claim.path("state").asText())) {
                        violations.add(new Violation("I3", "checkout " + id, "FAILED, but product " + product
                                + " still holds " + claim.path("quantity").asInt() + " for order " + orderId));
                    }
                });
            }
        }
        // Stock held for an order whose checkout is gone or ended without it is a leak too.
        for (JsonNode order : orders.values()) {
            if ("CANCELLED".equals(order.path("status").asText())) {
                String orderId = order.path("id").asText();
                claimsByOrder.getOrDefault(orderId, Map.of()).forEach((product, claim) -> {
                    if ("RESERVED".equals(claim.path("state").asText())) {
                        violations.add(new Violation("I3", "order " + orderId, "CANCELLED, but product " + product
                                + " still holds " + claim.path("quantity").asInt() + " for it"));
                    }
                });
            }
        }
    }

    private static void checkOneEffectPerRequest(Snapshot snapshot, Map<String, JsonNode> orders,
                                                 Collection<String> accepted, List<Violation> violations) {
        Map<String, String> checkoutByOrder = new HashMap<>();
        Set<String> checkoutIds = new HashSet<>();
        for (JsonNode checkout : snapshot.checkouts()) {
            String id = checkout.path("id").asText();
            if (!checkoutIds.add(id)) {
                violations.add(new Violation("I4", "checkout " + id, "listed twice"));
            }
            String other = checkoutByOrder.put(checkout.path("orderId").asText(), id);
            if (other != null) {
                violations.add(new Violation("I4", "order " + checkout.path("orderId").asText(),
                        "belongs to two checkouts: " + other + " and " + id));
            }
        }
        for (String orderId : orders.keySet()) {
            if (!checkoutByOrder.containsKey(orderId)) {
                violations.add(new Violation("I4", "order " + orderId, "belongs to no checkout"));
            }
        }
    }

    private static void checkEveryCheckoutHasItsOrder(Snapshot snapshot, Map<String, JsonNode> orders,
                                                      Collection<String> accepted, List<Violation> violations) {
        Set<String> known = new HashSet<>();
        for (JsonNode checkout : snapshot.checkouts()) {
            String id = checkout.path("id").asText();
            known.add(id);
            String status = checkout.path("status").asText();
            JsonNode order = orders.get(checkout.path("orderId").asText());
            if (order == null) {
                if (!"RUNNING".equals(status)) {
                    violations.add(new Violation("I5", "checkout " + id, status + ", but its order "
                            + checkout.path("orderId").asText() + " does not exist"));
                }
                continue;
            }
            String expected = switch (status) {
                case "COMPLETED" -> "APPROVED";
                case "FAILED" -> "CANCELLED";
                default -> null;
            };
            if (expected != null && !expected.equals(order.path("status").asText())) {
                violations.add(new Violation("I5", "checkout " + id, status + ", but its order "
                        + order.path("id").asText() + " is " + order.path("status").asText()));
            }
        }
        for (String id : accepted) {
            if (!known.contains(id)) {
                violations.add(new Violation("I5", "checkout " + id, "was accepted, but the system does not know it"));
            }
        }
    }
}
