package io.understudy.system.netns;

import io.understudy.drivers.peers.IpmiSimPeer;
import io.understudy.drivers.process.ProcessRunner;
import io.understudy.testkit.Executables;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A cold spare of the lab: powered off through its own BMC's power control (link down, no process, no alias), with a
 * boot script its BMC runs at power-on, so its agent starts only when understudy powers it on — as on a real server.
 */
final class ColdSpare {
    private ColdSpare() {}

    static void standBy(NetnsDataCenter dc, String h) throws Exception {
        IpmiSimPeer bmc = dc.bmc.get(h);
        Path yaml = dc.agentYaml(h);
        Path log = dc.hostDirs.get(h).resolve("agent.log");
        List<String> cmd = new ArrayList<>(dc.lab.in(h));
        cmd.add("env");
        dc.agentEnv(h).forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.add("setsid");
        cmd.addAll(NetnsDataCenter.agentCommand(yaml));
        // Detached, its output to a file: ipmi_sim waits for the control script's output to end, not for the agent.
        String boot = "#!/bin/sh\n# the host boots: its agent starts\n"
                + cmd.stream().map(ColdSpare::quote).collect(Collectors.joining(" ")) + " >> " + quote(log.toString()) + " 2>&1 < /dev/null &\n";
        Path script = bmc.dir().resolve("boot");
        Executables.write(script, boot, "700");
        // Off the way its BMC turns it off, before the control plane first looks.
        ProcessRunner.Result r = run(List.of("sh", bmc.dir().resolve("chassis.sh").toString(), "0x20", "set", "power", "0"));
        if (r.exit() != 0 || bmc.powered()) throw new IOException("cannot power off " + h + ": " + r.stderr());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static ProcessRunner.Result run(List<String> cmd) throws IOException {
        try {
            return ProcessRunner.run(cmd, Map.of(), null, Duration.ofSeconds(10));
        } catch (ProcessRunner.TimedOut e) {
            throw new IOException(String.join(" ", cmd) + " timed out", e);
        }
    }
}
