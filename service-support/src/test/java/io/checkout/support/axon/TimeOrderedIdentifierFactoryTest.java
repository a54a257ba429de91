package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
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
