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

    /** Issue 11: no chassis fault bit said "ok" for a health nothing had measured. */
    @Test
    void healthWasOkUnmeasured_chassisStatusWithoutFaults_isUnknown() throws DriverException {
        PowerReading r = IpmiOutput.chassisStatus("s", """
                System Power         : on
                Power Overload       : false
                Power Interlock      : inactive
                Main Power Fault     : false
                Power Control Fault  : false
                Power Restore Policy : always-off
                Last Power Event     :
                Chassis Intrusion    : inactive
                Front-Panel Lockout  : inactive
                Drive Fault          : false
                Cooling/Fan Fault    : false
                """);
        assertThat(r.power()).isEqualTo(PowerReading.Power.ON);
        assertThat(r.health()).isEqualTo(PowerReading.Health.UNKNOWN);
    }

    /** Issue 11: IPMI never read critical; a sensor past its critical threshold now does. */
    @Test
    void ipmiNeverCritical_sdrListWithCriticalSensor_readsCritical() {
        String sdr = """
                CPU1 Temp        | 98 degrees C      | cr
                CPU2 Temp        | 45 degrees C      | ok
                FAN1             | 5400 RPM          | ok
                PS1 Status       | 0x01              | ok
                DIMM Temp        | no reading        | ns
                """;
        IpmiOutput.Sensors s = IpmiOutput.sensors(sdr);
        assertThat(s.health()).isEqualTo(PowerReading.Health.CRITICAL);
        assertThat(s.detail()).isEqualTo("sensors critical: CPU1 Temp 98 degrees C (cr)");
        assertThat(IpmiOutput.sensors(sdr.replace("| cr", "| nr")).health()).isEqualTo(PowerReading.Health.CRITICAL);
        assertThat(IpmiOutput.sensors(sdr.replace("| cr", "| nc")).health()).isEqualTo(PowerReading.Health.WARNING);
        assertThat(IpmiOutput.sensors(sdr.replace("| cr", "| ok")).health()).isEqualTo(PowerReading.Health.OK);
        assertThat(IpmiOutput.sensors("DIMM Temp        | no reading        | ns\n").health()).isEqualTo(PowerReading.Health.UNKNOWN);
        assertThat(IpmiOutput.sensors("").health()).isEqualTo(PowerReading.Health.UNKNOWN);
    }

    @Test
    void withSensors_worseOfChassisAndSensors_keepsBothDetails() throws DriverException {
        PowerReading chassis = IpmiOutput.chassisStatus("s", "System Power : on\nCooling/Fan Fault : true\n");
        PowerReading r = IpmiOutput.withSensors(chassis, new IpmiOutput.Sensors(PowerReading.Health.OK, "12 sensors ok"));
        assertThat(r.health()).isEqualTo(PowerReading.Health.WARNING);
        assertThat(r.detail()).isEqualTo("System Power on; Cooling/Fan Fault; 12 sensors ok");
        assertThat(IpmiOutput.withSensors(chassis, new IpmiOutput.Sensors(PowerReading.Health.CRITICAL, "x")).health())
                .isEqualTo(PowerReading.Health.CRITICAL);
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
