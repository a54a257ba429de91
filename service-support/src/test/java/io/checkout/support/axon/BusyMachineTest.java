package io.checkout.support.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BusyMachineTest {

    @Test
    void isBusyFromTheThresholdAndReadsTheLoadAtMostEvery250Ms() throws Exception {
        double[] load = {0.95};
        AtomicInteger reads = new AtomicInteger();
        BusyMachine machine = new BusyMachine(0.8, () -> {
            reads.incrementAndGet();
            return load[0];
        });

        assertThat(machine.getAsBoolean()).isTrue();
        load[0] = 0.5;
        for (int i = 0; i < 1000; i++) {
            assertThat(machine.getAsBoolean()).as("until the next read").isTrue();
        }
        assertThat(reads).hasValue(1);

        Thread.sleep(300);
        assertThat(machine.getAsBoolean()).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aLoadThatCannotBeReadIsNotBusy() {
        assertThat(new BusyMachine(0.0, () -> -1.0).getAsBoolean()).isFalse();
        assertThat(new BusyMachine(0.0, () -> 0.0).getAsBoolean()).as("threshold 0: always busy").isTrue();
    }

    @Test
    void readsTheJdksLoad() {
        BusyMachine always = BusyMachine.fromCpuLoad(0.0);
        BusyMachine never = BusyMachine.fromCpuLoad(1.01);

        assertThat(always.getAsBoolean()).isTrue();
        assertThat(never.getAsBoolean()).isFalse();
    }
}
