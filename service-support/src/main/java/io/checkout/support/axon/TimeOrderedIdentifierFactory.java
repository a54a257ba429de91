package io.checkout.support.axon;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.axonframework.common.IdentifierFactory;

/**
 * Every identifier Axon makes (of events, messages, sagas), and every id of ours ({@code Ids.random()} asks Axon),
 * as a version 7 UUID: its first 48 bits are the time in milliseconds, its other 74 bits random. Found by Axon
 * through {@code META-INF/services}.
 * <p>
 * Ids made later sort later, as text too, so a new row goes at the end of every index keyed by an id (the event
 * table's unique event identifier and its aggregate identifier, checkouts, orders, steps, reservations) instead of
 * into a random page. With random ids every insert into such an index read a page back from the file once the index
 * had outgrown H2's page cache, a cost that grew with every checkout: in a 10-minute run the CPU a checkout rose by
 * 15% from the first half to the second.
 * <p>
 * The random bits come from the thread's own generator, not from a secure one: these ids must not repeat, and need
 * not be secret (anyone may list the checkouts, orders and products; what an id could be used for, the operator
 * actions, needs the admin). Every message, event and command result has one, and the secure source, a shared lock
 * and a read of {@code /dev/urandom} mixed with SHA-1 for each, was 0.8% of the CPU under load (design.md #30).
 */
public final class TimeOrderedIdentifierFactory extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return versionSeven(System.currentTimeMillis(), random.nextLong(), random.nextLong()).toString();
    }

    /** The version 7 UUID of {@code millis}, its other bits taken from the two random numbers. */
    static UUID versionSeven(long millis, long randomHigh, long randomLow) {
        long timeAndVersion = (millis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        // The variant bits (10) in the low half's top, 62 random bits below them.
        long variantAndRandom = (randomLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(timeAndVersion, variantAndRandom);
    }
}
