package io.understudy.drivers.fence;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.PowerDriver;
import io.understudy.drivers.PowerDriverContract;
import io.understudy.drivers.peers.CommandLines;
import io.understudy.drivers.peers.IpmiSimPeer;
import io.understudy.drivers.peers.Peers;
import io.understudy.model.config.Bmc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-driver contract for Pacemaker fence agents: Debian's fence_ipmilan against ipmi_sim. power_timeout is
 * cut to 2 s so an unreachable or stuck BMC is reported in seconds, and power_wait to 0 so the suite stays short.
 */
class FenceAgentDriverContractTest extends PowerDriverContract {
    private static final Map<String, String> FAST = Map.of("power_timeout", "2", "power_wait", "0");

    @TempDir
    Path dir;
    IpmiSimPeer peer;

    @BeforeEach
    void startPeer() throws Exception {
        Peers.require("fence_ipmilan");
        peer = IpmiSimPeer.start(dir);
    }

    @AfterEach
    void stopPeer() {
        if (peer != null) peer.close();
    }

    @Override
    protected PowerDriver driver() throws Exception {
        return new FenceAgentDriver(peer.fenceBmc(peer.passwordFile(), FAST));
    }

    @Override
    protected String server() {
        return "srv-1";
    }

    @Override
    protected PowerDriver unreachable() throws Exception {
        Bmc b = peer.fenceBmc(peer.passwordFile(), FAST);
        return new FenceAgentDriver(new Bmc(b.driver(), "127.0.0.1:" + IpmiSimPeer.freeUdpPort(), b.username(), null, b.passwordFile(),
                null, null, null, b.agent(), b.options(), null, 0));
    }

    @Override
    protected PowerDriver wrongPassword() throws Exception {
        Path wrong = dir.resolve("wrong-password");
        Files.writeString(wrong, "x" + peer.password().substring(1));
        return new FenceAgentDriver(peer.fenceBmc(wrong, FAST));
    }

    @Override
    protected String password() {
        return peer.password();
    }

    @Override
    protected void makeStuck() throws Exception {
        peer.stuck();
    }

    @Override
    protected void letTimePass() throws Exception {
        Thread.sleep(100);
    }

    @Test
    void powerOff_agentCommandLineCarriesNoPassword() throws Exception {
        // fence_ipmilan itself hands the password to ipmitool as -P (the agent's choice, not ours); our own
        // process — the agent — must get it on standard input only.
        PowerDriver slow = unreachable();
        Thread call = new Thread(() -> {
            try {
                slow.powerOff(server(), new CallContext(1, null, "probe"));
            } catch (DriverException ignored) {
                // expected
            }
        });
        call.start();
        boolean sawAgent = false;
        for (int i = 0; i < 20 && call.isAlive(); i++) {
            for (String cmdline : CommandLines.all()) {
                if (cmdline.contains("fence_ipmilan")) {
                    sawAgent = true;
                    assertThat(cmdline).doesNotContain(peer.password());
                }
            }
            Thread.sleep(100);
        }
        call.join(15_000);
        assertThat(sawAgent).as("fence_ipmilan seen running").isTrue();
    }
}
