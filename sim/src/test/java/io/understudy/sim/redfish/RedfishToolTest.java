package io.understudy.sim.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.drivers.peers.Peers;
import io.understudy.drivers.process.ProcessRunner;
import io.understudy.drivers.process.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An independent client, Debian's redfishtool, reads power state from and resets a system on the simulator's Redfish service. */
class RedfishToolTest {
    @TempDir
    Path dir;
    RedfishPeer peer;

    @BeforeEach
    void start() throws Exception {
        Peers.require("redfishtool");
        peer = new RedfishPeer(dir, RedfishPeer.certificate());
    }

    @AfterEach
    void stop() {
        if (peer != null) peer.close();
    }

    private ProcessRunner.Result redfishtool(String... args) throws Exception {
        // redfishtool takes the password only as -p; this is a throwaway test password.
        List<String> cmd = new ArrayList<>(List.of(Tools.find("redfishtool").orElseThrow().toString(), "-r", "127.0.0.1:" + peer.service.port(),
                "-u", RedfishPeer.USER, "-p", peer.password, "-S", "Always", "-A", "Session", "-T", "5", "-W", "1:3"));
        cmd.addAll(List.of(args));
        return ProcessRunner.run(cmd, Map.of(), null, Duration.ofSeconds(30));
    }

    @Test
    void redfishtool_readsPowerStateAndResetsASystem() throws Exception {
        // The control plane spoke to srv-1 in term 5; a client that knows no terms still acts, as on a real BMC.
        peer.sim.read("srv-1", new io.understudy.drivers.CallContext(5, null, "probe"));
        ProcessRunner.Result state = redfishtool("-P", "PowerState", "Systems", "-I", "srv-1");
        assertThat(state.exit()).as(state.stderr()).isZero();
        assertThat(state.stdout()).contains("\"PowerState\": \"On\"");

        ProcessRunner.Result reset = redfishtool("Systems", "-I", "srv-1", "reset", "ForceOff");
        assertThat(reset.exit()).as(reset.stderr() + reset.stdout()).isZero();
        peer.advance(Duration.ofMillis(200));
        assertThat(peer.sim.view("srv-1").state()).isEqualTo("off");

        ProcessRunner.Result after = redfishtool("-P", "PowerState", "Systems", "-I", "srv-1");
        assertThat(after.stdout()).contains("\"PowerState\": \"Off\"");
        ProcessRunner.Result list = redfishtool("Systems");
        assertThat(list.stdout()).contains("/redfish/v1/Systems/srv-1", "/redfish/v1/Systems/srv-2");
    }
}
