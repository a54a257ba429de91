package io.checkout.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineProbeTest {

    @Test
    void theWorkIsTheSameEveryTime() {
        assertThat(MachineProbe.work()).isEqualTo(MachineProbe.work());
    }

    @Test
    void aProbeTimesRoundsOfThatWork() {
        MachineProbe.Reading reading = MachineProbe.measure();

        assertThat(reading.roundMillis()).isPositive();
        assertThat(reading.checksum()).isEqualTo(MachineProbe.work());
    }

    @Test
    void stealIsItsShareOfAllTheCpuTimeBetweenTwoReadings() {
        long[] before = MachineProbe.ticks("cpu  9144357 9635 1014757 3615460 34698 0 65681 16363 0 0");
        long[] after = MachineProbe.ticks("cpu  9144457 9635 1014857 3615660 34698 0 65681 16463 0 0");

        // 100 user + 100 system + 200 idle + 100 steal: a fifth of the time was stolen.
        assertThat(MachineProbe.stealPercent(before, after)).isCloseTo(20.0, within(1e-9));
        assertThat(MachineProbe.stealPercent(before, before)).isNull();
        assertThat(MachineProbe.stealPercent(null, after)).isNull();
        assertThat(MachineProbe.ticks("intr 1 2 3")).isNull();
    }

    @Test
    void theLineNamesBothProbesAndTheSteal() {
        MachineProbe.Reading before = new MachineProbe.Reading(101.25, 1, new long[] {10, 0, 0, 80, 0, 0, 0, 10});
        MachineProbe.Reading after = new MachineProbe.Reading(120.5, 1, new long[] {60, 0, 0, 120, 0, 0, 0, 20});
        MachineProbe.Reading unknown = new MachineProbe.Reading(99.0, 1, null);

        assertThat(MachineProbe.describe(before, after))
                .contains("101.3 ms before the runs and 120.5 ms after", "steal 10.00% of the CPU time in between");
        assertThat(MachineProbe.describe(before, unknown)).doesNotContain("steal");
        assertThat(MachineProbe.summary(before, after)).containsEntry("probeMillisBefore", 101.25)
                .containsEntry("stealPercent", 10.0);
    }
}
