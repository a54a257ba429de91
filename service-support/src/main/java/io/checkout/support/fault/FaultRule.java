package io.checkout.support.fault;

/**
 * One fault to inject.
 *
 * @param point       where: a command's simple type name ({@code ReserveStockCommand}), an event handling point
 *                    {@code <processor>:<event type>} ({@code CheckoutSagaProcessor:StockReservedEvent}, or
 *                    {@code CheckoutSagaProcessor:*} for every event of the saga), {@code database} for every
 *                    connection taken from the pool, or {@code *} for every command
 * @param action      what it does
 * @param delayMillis for DELAY, how long
 * @param probability the chance that it fires on a matching call, 0 to 1 (default 1)
 * @param seed        the seed of that chance, so that a run can be repeated (default: random)
 * @param nth         fire only on the nth matching call (1-based), if set
 * @param limit       fire at most this often in all, if set
 * @param matching    fire only where the message's payload, as text, contains this (an order or product id)
 */
public record FaultRule(String point, FaultAction action, Long delayMillis, Double probability, Long seed,
                        Integer nth, Integer limit, String matching) {

    public FaultRule {
        if (point == null || point.isBlank()) {
            throw new IllegalArgumentException("A fault needs a point: a command type, processor:event, or database");
        }
        if (action == null) {
            throw new IllegalArgumentException("A fault needs an action: one of "
                    + java.util.Arrays.toString(FaultAction.values()));
        }
        if (action == FaultAction.DELAY && (delayMillis == null || delayMillis < 0 || delayMillis > 600_000)) {
            throw new IllegalArgumentException("A DELAY fault needs delayMillis from 0 to 600000");
        }
        if (probability != null && (probability < 0 || probability > 1)) {
            throw new IllegalArgumentException("probability must be from 0 to 1");
        }
        if (nth != null && nth < 1 || limit != null && limit < 1) {
            throw new IllegalArgumentException("nth and limit count from 1");
        }
        if ("database".equals(point) && action != FaultAction.FAIL && action != FaultAction.DELAY) {
            throw new IllegalArgumentException("The database point takes FAIL or DELAY");
        }
    }
}
