package io.checkout.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What the auditor read of the system, as the APIs answered.
 *
 * @param products     each product ({@code GET /products})
 * @param reservations each product's reservations by product id ({@code GET /products/{id}/reservations})
 * @param orders       every order ({@code GET /orders})
 * @param checkouts    every checkout ({@code GET /checkouts})
 */
public record Snapshot(List<JsonNode> products, Map<String, List<JsonNode>> reservations, List<JsonNode> orders,
                       List<JsonNode> checkouts) {

    /** Reads everything through the public APIs. */
    public static Snapshot read(SystemClient system) {
        List<JsonNode> products = new java.util.ArrayList<>();
        system.require(system.get("/products"), "/products").forEach(products::add);
        Map<String, List<JsonNode>> reservations = new java.util.HashMap<>();
        for (JsonNode product : products) {
            String id = product.path("id").asText();
            List<JsonNode> list = new java.util.ArrayList<>();
            system.require(system.get("/products/" + id + "/reservations"), "reservations of " + id).forEach(list::add);
            reservations.put(id, list);
        }
        List<JsonNode> orders = system.all("/orders", 1000);
        List<JsonNode> checkouts = system.all("/checkouts", 500);
        return new Snapshot(products, reservations, orders, checkouts);
    }
}
