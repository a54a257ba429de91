package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Auditor strict = new Auditor(Auditor.Settings.strict());

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode product(String id, int stock, int reserved, int initial, int restocked) {
        return json("{'id':'" + id + "','stock':" + stock + ",'reserved':" + reserved + ",'initialStock':" + initial
                + ",'restocked':" + restocked + "}");
    }

    private static JsonNode claim(String order, String state, int quantity) {
        return json("{'orderId':'" + order + "','state':'" + state + "','quantity':" + quantity + "}");
    }

    private static JsonNode order(String id, String status, String product, int quantity) {
        return json("{'id':'" + id + "','status':'" + status + "','lines':[{'productId':'" + product
                + "','quantity':" + quantity + "}]}");
    }

    private static JsonNode checkout(String id, String status, String order, long ageMillis) {
        return json("{'id':'" + id + "','status':'" + status + "','orderId':'" + order + "','ageMillis':" + ageMillis
                + ",'currentStep':'RESERVE_STOCK'}");
    }

    /** A small consistent system: one completed checkout holding 2 units, one failed holding none. */
    private static Snapshot consistent() {
        return new Snapshot(List.of(product("p", 8, 2, 10, 0)),
                Map.of("p", List.of(claim("o1", "RESERVED", 2), claim("o2", "RELEASED", 0))),
                List.of(order("o1", "APPROVED", "p", 2), order("o2", "CANCELLED", "p", 5)),
                List.of(checkout("c1", "COMPLETED", "o1", 100), checkout("c2", "FAILED", "o2", 100)));
    }

    private static List<String> invariants(List<Violation> violations) {
        return violations.stream().map(Violation::invariant).toList();
    }

    @Test
    void findsNothingWrongWithAConsistentSystem() {
        assertThat(strict.audit(consistent(), List.of("c1", "c2"))).isEmpty();
    }

    @Test
    void reportsAnApprovedOrderWithoutItsReservation() {
        Snapshot s = consistent();
        Snapshot broken = new Snapshot(List.of(product("p", 10, 0, 10, 0)),
                Map.of("p", List.of(claim("o1", "RELEASED", 0), claim("o2", "RELEASED", 0))), s.orders(),
                s.checkouts());

        List<Violation> violations = strict.audit(broken, List.of());

        assertThat(invariants(violations)).containsExactly("I1");
        assertThat(violations.get(0).subject()).isEqualTo("order o1");
        assertThat(violations.get(0).detail()).contains("product p holds RELEASED 0 of the 2 ordered");
    }

    @Test
    void reportsStockThatDoesNotAddUp() {
        Snapshot s = consistent();
        Snapshot broken = new Snapshot(List.of(product("p", 9, 2, 10, 0)), s.reservations(), s.orders(),
                s.checkouts());

        assertThat(strict.audit(broken, List.of())).singleElement()
                .satisfies(v -> assertThat(v.toString()).isEqualTo(
                        "[I2] product p: available 9 + reserved 2 != initial + restocked 10"));
    }

    @Test
    void reportsOversoldStock() {
        Snapshot s = consistent();
        Snapshot broken = new Snapshot(List.of(product("p", -1, 11, 10, 0)),
                Map.of("p", List.of(claim("o1", "RESERVED", 2), claim("o2", "RELEASED", 0),
                        claim("o3", "RESERVED", 9))), s.orders(), s.checkouts());

        assertThat(strict.audit(broken, List.of())).extracting(Violation::detail)
                .contains("oversold: available is -1");
    }

    @Test
    void reportsReservedUnitsThatNoReservationHolds() {
        Snapshot s = consistent();
        Snapshot broken = new Snapshot(List.of(product("p", 7, 3, 10, 0)), s.reservations(), s.orders(),
                s.checkouts());

        assertThat(strict.audit(broken, List.of())).extracting(Violation::detail)
                .containsExactly("reports 3 reserved, but its reservations hold 2");
    }

    @Test
    void reportsARunningCheckoutUnlessItMayStillRun() {
        Snapshot s = consistent();
        Snapshot running = new Snapshot(s.products(), s.reservations(), s.orders(),
                List.of(checkout("c1", "COMPLETED", "o1", 100), checkout("c2", "RUNNING", "o2", 5000)));

        assertThat(invariants(strict.audit(running, List.of()))).containsExactly("I3");
        assertThat(new Auditor(new Auditor.Settings(Duration.ofMinutes(1))).audit(running, List.of())).isEmpty();
    }

    @Test
    void reportsStockStillHeldForAFailedCheckout() {
        Snapshot s = consistent();
        Snapshot leaked = new Snapshot(List.of(product("p", 3, 7, 10, 0)),
                Map.of("p", List.of(claim("o1", "RESERVED", 2), claim("o2", "RESERVED", 5))), s.orders(),
                s.checkouts());

        List<Violation> violations = strict.audit(leaked, List.of());

        assertThat(invariants(violations)).containsExactly("I3", "I3");
        assertThat(violations).extracting(Violation::subject).containsExactly("checkout c2", "order o2");
    }

    @Test
    void reportsAnOrderOfTwoCheckoutsAndAnOrderOfNone() {
        Snapshot s = consistent();
        Snapshot doubled = new Snapshot(s.products(), s.reservations(),
                List.of(order("o1", "APPROVED", "p", 2), order("o2", "CANCELLED", "p", 5),
                        order("o9", "CANCELLED", "p", 1)),
                List.of(checkout("c1", "COMPLETED", "o1", 100), checkout("c2", "FAILED", "o2", 100),
                        checkout("c3", "COMPLETED", "o1", 100)));

        assertThat(strict.audit(doubled, List.of())).extracting(Violation::toString)
                .contains("[I4] order o1: belongs to two checkouts: c1 and c3", "[I4] order o9: belongs to no checkout");
    }

    @Test
    void reportsAnAcceptedCheckoutThatIsMissingOrWhoseOrderDisagrees() {
        Snapshot s = consistent();
        Snapshot wrong = new Snapshot(s.products(), s.reservations(),
                List.of(order("o1", "APPROVED", "p", 2), order("o2", "APPROVED", "p", 0)), s.checkouts());

        assertThat(strict.audit(wrong, List.of("c1", "c2", "c-lost"))).extracting(Violation::toString)
                .contains("[I5] checkout c2: FAILED, but its order o2 is APPROVED",
                        "[I5] checkout c-lost: was accepted, but the system does not know it");
    }
}
