package io.understudy.engine.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.PowerReading;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 11: drivers now say "unknown" where they measured no health; only a measured "critical" convicts at once. */
class ProbesVerdictTest {
    private static Probes.Answer answer(PowerReading.Power power, PowerReading.Health health) {
        return new Probes.Answer(new PowerReading(power, health, "test"), null, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void verdict_unknownHealth_neverReadsAsACrash() {
        assertThat(answer(PowerReading.Power.ON, PowerReading.Health.UNKNOWN).verdict()).isEqualTo(Verdict.HUNG);
        assertThat(answer(PowerReading.Power.OFF, PowerReading.Health.UNKNOWN).verdict()).isEqualTo(Verdict.POWERED_OFF);
    }

    @Test
    void verdict_criticalHealth_isACrash() {
        assertThat(answer(PowerReading.Power.ON, PowerReading.Health.CRITICAL).verdict()).isEqualTo(Verdict.OS_CRASHED);
    }
}
