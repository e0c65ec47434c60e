package io.understudy.drivers.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerReading;
import io.understudy.drivers.peers.IpmiSimContract;
import io.understudy.drivers.peers.IpmiSimPeer;
import io.understudy.model.config.Bmc;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The power-driver contract for IPMI over lanplus, against Debian's ipmi_sim on loopback. */
class IpmiDriverContractTest extends IpmiSimContract {

    @Override
    protected PowerDriver driver() throws Exception {
        return new IpmiDriver(peer.ipmiBmc(peer.passwordFile(), null));
    }

    @Override
    protected PowerDriver unreachable() throws Exception {
        return new IpmiDriver(new Bmc("ipmi", "127.0.0.1:" + IpmiSimPeer.freeUdpPort(), IpmiSimPeer.USER, null,
                peer.passwordFile().toString(), null, null, 3, null, null, null, 0));
    }

    @Override
    protected PowerDriver wrongPassword() throws Exception {
        return new IpmiDriver(peer.ipmiBmc(wrongPasswordFile(), null));
    }

    @Test
    void read_chassisOff_readsOffFromStandInHost() throws Exception {
        Files.writeString(dir.resolve("power"), "0\n");
        assertThat(driver().read(server(), new CallContext(1, null, "probe")).power()).isEqualTo(PowerReading.Power.OFF);
    }

    /** Issue 11, against ipmi_sim (no sensor records): a probe's health is unknown, not "ok". */
    @Test
    void healthWasOkUnmeasured_ipmiSimWithoutSensors_probeReadsUnknown() throws Exception {
        PowerReading r = driver().read(server(), CallContext.probe(1));
        assertThat(r.power()).isEqualTo(PowerReading.Power.ON);
        assertThat(r.health()).as(r.detail()).isEqualTo(PowerReading.Health.UNKNOWN);
        assertThat(r.detail()).startsWith("System Power on; ");
    }

    @Test
    void new_cipherSuiteZero_isRefused() {
        Bmc zero = new Bmc("ipmi", peer.endpoint(), IpmiSimPeer.USER, null, peer.passwordFile().toString(), null, null, 0, null, null, null, 0);
        try {
            new IpmiDriver(zero);
            throw new AssertionError("cipher suite 0 accepted");
        } catch (DriverException e) {
            assertThat(e.kind()).isEqualTo(DriverException.Kind.REFUSED);
        }
    }

    @Test
    void powerOff_passwordNeverOnACommandLine() throws Exception {
        // An unreachable BMC keeps ipmitool running ~2 s: long enough to look at every command line, as ps would.
        boolean sawIpmitool = whilePoweringOffUnreachable(15, cmdline -> {
            assertThat(cmdline).doesNotContain(peer.password());
            return cmdline.contains("ipmitool") && cmdline.contains("-E");
        });
        assertThat(sawIpmitool).as("ipmitool seen running with -E").isTrue();
    }
}
