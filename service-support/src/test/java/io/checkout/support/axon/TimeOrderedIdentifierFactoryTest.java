package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.axonframework.common.IdentifierFactory;
import org.junit.jupiter.api.Test;

class TimeOrderedIdentifierFactoryTest {

    @Test
    void axonFindsItSoThatEveryIdentifierIsTimeOrdered() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedIdentifierFactory.class);
    }

    @Test
    void aVersion7UuidWithTheTimeInItsFirst48Bits() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(new TimeOrderedIdentifierFactory().generateIdentifier());
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void theVersionAndVariantHoldWhateverTheRandomBits() {
        for (long bits : new long[] {0L, -1L, 0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL}) {
            UUID id = TimeOrderedIdentifierFactory.versionSeven(1_765_000_000_000L, bits, bits);

            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
            assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(1_765_000_000_000L);
            // 12 random bits in the high half, 62 in the low half.
            assertThat(id.getMostSignificantBits() & 0x0FFFL).isEqualTo(bits & 0x0FFFL);
            assertThat(id.getLeastSignificantBits() & 0x3FFF_FFFF_FFFF_FFFFL)
                    .isEqualTo(bits & 0x3FFF_FFFF_FFFF_FFFFL);
        }
    }

    @Test
    void threadsMakingIdsAtOnceNeverMakeTheSameOne() throws Exception {
        TimeOrderedIdentifierFactory factory = new TimeOrderedIdentifierFactory();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> made = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                made.add(threads.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        ids.add(factory.generateIdentifier());
                    }
                }));
            }
            for (Future<?> each : made) {
                each.get();
            }
        } finally {
            threads.shutdown();
        }
        // Many in each millisecond: only the random bits tell them apart.
        assertThat(ids).hasSize(200_000);
    }

    @Test
    void idsMadeLaterSortLaterAsTextAndNoneRepeats() throws InterruptedException {
        TimeOrderedIdentifierFactory factory = new TimeOrderedIdentifierFactory();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(factory.generateIdentifier());
            Thread.sleep(2);
        }
        assertThat(ids).isSorted();

        HashSet<String> many = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            many.add(factory.generateIdentifier());
        }
        assertThat(many).hasSize(100_000);
    }
}
