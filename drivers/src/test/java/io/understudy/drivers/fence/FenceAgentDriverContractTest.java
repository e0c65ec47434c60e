package io.understudy.drivers.fence;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.peers.IpmiSimContract;
import io.understudy.drivers.peers.IpmiSimPeer;
import io.understudy.drivers.peers.Peers;
import io.understudy.model.config.Bmc;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The power-driver contract for Pacemaker fence agents: Debian's fence_ipmilan against ipmi_sim. power_timeout is
 * cut to 2 s so an unreachable or stuck BMC is reported in seconds, and power_wait to 0 so the suite stays short.
 */
class FenceAgentDriverContractTest extends IpmiSimContract {
    private static final Map<String, String> FAST = Map.of("power_timeout", "2", "power_wait", "0");


    @Override
    protected void requireTools() {
        Peers.require("fence_ipmilan");
    }

    @Override
    protected PowerDriver driver() throws Exception {
        return new FenceAgentDriver(peer.fenceBmc(peer.passwordFile(), FAST));
    }

    @Override
    protected PowerDriver unreachable() throws Exception {
        Bmc b = peer.fenceBmc(peer.passwordFile(), FAST);
        return new FenceAgentDriver(new Bmc(b.driver(), "127.0.0.1:" + IpmiSimPeer.freeUdpPort(), b.username(), null, b.passwordFile(),
                null, null, null, b.agent(), b.options(), null, 0));
    }

    @Override
    protected PowerDriver wrongPassword() throws Exception {
        return new FenceAgentDriver(peer.fenceBmc(wrongPasswordFile(), FAST));
    }

    @Test
    void powerOff_agentCommandLineCarriesNoPassword() throws Exception {
        // fence_ipmilan itself hands the password to ipmitool as -P (the agent's choice, not ours); our own
        // process — the agent — must get it on standard input only.
        boolean sawAgent = whilePoweringOffUnreachable(20, cmdline -> {
            if (!cmdline.contains("fence_ipmilan")) return false;
            assertThat(cmdline).doesNotContain(peer.password());
            return true;
        });
        assertThat(sawAgent).as("fence_ipmilan seen running").isTrue();
    }
}
