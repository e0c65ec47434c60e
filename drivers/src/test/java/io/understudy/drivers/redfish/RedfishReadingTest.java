package io.understudy.drivers.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.PowerReading;
import org.junit.jupiter.api.Test;

/** How a ComputerSystem's PowerState and Status read (shapes as in the DMTF Redfish mockups). */
class RedfishReadingTest {
    private static PowerReading read(String json) throws Exception {
        return RedfishDriver.reading("s", RedfishClient.JSON.readTree(json));
    }

    /** Issue 11: a system without Status.Health (or with null, as many BMCs report while off) read "ok". */
    @Test
    void healthWasOkUnmeasured_noHealthReported_isUnknown() throws Exception {
        assertThat(read("{\"PowerState\":\"On\"}").health()).isEqualTo(PowerReading.Health.UNKNOWN);
        PowerReading off = read("{\"PowerState\":\"Off\",\"Status\":{\"State\":\"StandbyOffline\",\"Health\":null,\"HealthRollup\":null}}");
        assertThat(off.health()).isEqualTo(PowerReading.Health.UNKNOWN);
        assertThat(off.detail()).isEqualTo("PowerState Off; no health reported");
    }

    @Test
    void reading_measuredHealth_readsAsReported_theWorseOfHealthAndRollup() throws Exception {
        assertThat(read("{\"PowerState\":\"On\",\"Status\":{\"State\":\"Enabled\",\"Health\":\"OK\",\"HealthRollup\":\"OK\"}}").health())
                .isEqualTo(PowerReading.Health.OK);
        assertThat(read("{\"PowerState\":\"On\",\"Status\":{\"Health\":\"OK\",\"HealthRollup\":\"Warning\"}}").health())
                .isEqualTo(PowerReading.Health.WARNING);
        assertThat(read("{\"PowerState\":\"On\",\"Status\":{\"Health\":\"Critical\"}}").health()).isEqualTo(PowerReading.Health.CRITICAL);
        assertThat(read("{\"PowerState\":\"On\",\"Status\":{\"HealthRollup\":\"OK\"}}").health()).isEqualTo(PowerReading.Health.OK);
    }
}
