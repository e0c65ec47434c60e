package io.understudy.drivers.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.DriverException;
import io.understudy.drivers.Endpoint;
import io.understudy.drivers.PowerReading;
import org.junit.jupiter.api.Test;

class IpmiOutputTest {
    private static final Endpoint AT = new Endpoint("127.0.0.1", 623);

    @Test
    void chassisStatus_powerAndFaults_readAsPowerAndWarning() throws DriverException {
        PowerReading r = IpmiOutput.chassisStatus("s", """
                System Power         : off
                Power Overload       : false
                Main Power Fault     : true
                Cooling/Fan Fault    : false
                """);
        assertThat(r.power()).isEqualTo(PowerReading.Power.OFF);
        assertThat(r.health()).isEqualTo(PowerReading.Health.WARNING);
        assertThat(r.detail()).contains("Main Power Fault");
    }

    @Test
    void busyBmcIsRetriedNotHopeless_nodeBusyCompletionCode_isBusy() {
        DriverException e = IpmiOutput.error("Set Chassis Power Control to Down/Off failed: Node busy", AT, 3);
        assertThat(e.kind()).isEqualTo(DriverException.Kind.BUSY);
        assertThat(e.getMessage()).contains("Node busy");
        assertThat(IpmiOutput.error("Get Chassis Power Status failed: BMC initialization in progress", AT, 3).kind())
                .isEqualTo(DriverException.Kind.BUSY);
        assertThat(IpmiOutput.error("Set Chassis Power Control to Down/Off failed: Unspecified error", AT, 3).kind())
                .isEqualTo(DriverException.Kind.FAILED);
    }

    @Test
    void error_sessionFailures_areToldApart() {
        assertThat(IpmiOutput.error("> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session", AT, 3).kind())
                .isEqualTo(DriverException.Kind.AUTH);
        assertThat(IpmiOutput.error("RAKP 2 message indicates an error : unauthorized name\nError: Unable to establish", AT, 3).kind())
                .isEqualTo(DriverException.Kind.AUTH);
        assertThat(IpmiOutput.error("Get Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request", AT, 3).kind())
                .isEqualTo(DriverException.Kind.UNREACHABLE);
        DriverException cipher = IpmiOutput.error("Error in open session response message : invalid authentication algorithm", AT, 17);
        assertThat(cipher.kind()).isEqualTo(DriverException.Kind.FAILED);
        assertThat(cipher.getMessage()).contains("cipher suite 17");
    }
}
