package io.understudy.drivers.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.understudy.drivers.Credentials;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerReading;
import io.understudy.model.config.Bmc;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FenceAgentOutputTest {
    private static final String HMAC = """
            2026-11-22 03:54:58,593 INFO: Executing: /usr/bin/ipmitool -I lanplus -H 127.0.0.1 -p 19623 -U admin -P [set] -C 3 chassis power status -v
            2026-11-22 03:54:58,628 DEBUG: 1  Loading IANA PEN Registry...
            > RAKP 2 HMAC is invalid
            Error: Unable to establish IPMI v2 / RMCP+ session
            2026-11-22 03:54:58,629 ERROR: Failed: Unable to obtain correct plug status or plug is not available
            """;

    /** Issue 11: a fence agent reports power only, yet its readings said health "ok". */
    @Test
    void healthWasOkUnmeasured_status_isUnknownOnAndOff() throws DriverException {
        PowerReading on = FenceAgentOutput.status("fence_ipmilan", "s", 0, "Status: ON\n", "");
        assertThat(on.power()).isEqualTo(PowerReading.Power.ON);
        assertThat(on.health()).isEqualTo(PowerReading.Health.UNKNOWN);
        PowerReading off = FenceAgentOutput.status("fence_ipmilan", "s", 2, "Status: OFF\n", "");
        assertThat(off.power()).isEqualTo(PowerReading.Power.OFF);
        assertThat(off.health()).isEqualTo(PowerReading.Health.UNKNOWN);
    }

    @Test
    void error_rakpHmacInvalid_isAuthNamingTheCause() {
        DriverException e = FenceAgentOutput.error("fence_ipmilan", "status", HMAC);
        assertThat(e.kind()).isEqualTo(DriverException.Kind.AUTH);
        assertThat(e.getMessage()).contains("RAKP 2 HMAC is invalid");
    }

    @Test
    void error_connectionTimedOut_isUnreachable() {
        DriverException e = FenceAgentOutput.error("fence_ipmilan", "off", "2026-11-22 03:55:18,719 ERROR: Connection timed out\n");
        assertThat(e.kind()).isEqualTo(DriverException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).endsWith("Connection timed out");
    }

    @Test
    void busyBmcIsRetriedNotHopeless_ipmitoolNodeBusyUnderTheAgent_isBusyNamingIt() {
        DriverException e = FenceAgentOutput.error("fence_ipmilan", "off", """
                2026-11-22 03:55:18,101 DEBUG: 1 Set Chassis Power Control to Down/Off failed: Node busy
                2026-11-22 03:55:38,719 ERROR: Failed: Timed out waiting to power OFF
                """);
        assertThat(e.kind()).isEqualTo(DriverException.Kind.BUSY);
        assertThat(e.getMessage()).contains("Node busy");
    }

    @Test
    void error_timedOutWaitingForOff_isFailed() {
        DriverException e = FenceAgentOutput.error("fence_ipmilan", "off", "ERROR: Failed: Timed out waiting to power OFF\n");
        assertThat(e.kind()).isEqualTo(DriverException.Kind.FAILED);
        assertThat(e.getMessage()).contains("Timed out waiting to power OFF");
    }

    @Test
    void status_exitCodes_followTheFenceAgentApi() throws DriverException {
        assertThat(FenceAgentOutput.status("fence_x", "s", 0, "Status: ON\n", "").power()).isEqualTo(PowerReading.Power.ON);
        assertThat(FenceAgentOutput.status("fence_x", "s", 2, "Status: OFF\n", "").power()).isEqualTo(PowerReading.Power.OFF);
        assertThatThrownBy(() -> FenceAgentOutput.status("fence_x", "s", 1, "", "ERROR: Connection timed out"))
                .isInstanceOf(DriverException.class);
        assertThatThrownBy(() -> FenceAgentOutput.status("fence_x", "s", 2, "Status: ON\n", "")).hasMessageContaining("printed Status: ON");
    }

    @Test
    void stdin_carriesActionEndpointCredentialsAndOptionsAsLines() throws DriverException {
        Bmc bmc = new Bmc("fence-agent", "10.0.0.5:6230", "admin", null, "/nonexistent", null, null, null, "fence_ipmilan",
                Map.of("lanplus", "1", "power_wait", "4"), null, null);
        String in = new FenceAgentDriver(bmc).stdin("off", Credentials.of("admin", "s3cret"));
        assertThat(in).startsWith("action=off\nip=10.0.0.5\nipport=6230\nusername=admin\npassword=s3cret\n")
                .contains("\nlanplus=1\n").contains("\npower_wait=4\n").endsWith("\n");
    }

    @Test
    void new_agentNameWithPath_isRefused() {
        Bmc bmc = new Bmc("fence-agent", null, null, null, null, null, null, null, "../../bin/sh", null, null, null);
        assertThatThrownBy(() -> new FenceAgentDriver(bmc)).isInstanceOf(DriverException.class).hasMessageContaining("fence agent name");
    }
}
