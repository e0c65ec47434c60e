package io.understudy.cli.launch;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.server.SimulatorProcess;
import io.understudy.sim.SimTimings;
import io.understudy.state.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code understudy sim-dc}: a simulated data center as a process of its own, reached by control-plane nodes the way
 * hardware is — Redfish BMCs and networked agents — so that a group of server processes can share it.
 */
@Command(name = "sim-dc", description = "Serve a simulated data center to control-plane nodes over the network "
        + "(Redfish BMCs, agents that heartbeat to every node).")
public final class SimDcCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "data-center YAML: servers with redfish BMCs and agent endpoints on this process's ports")
    Path config;

    @Option(names = "--nodes", required = true, paramLabel = "URL,...", description = "every control-plane node's API URL; heartbeats go to all of them")
    String nodes;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address of the agents and the Redfish BMCs (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--agent-port", defaultValue = "7700", description = "port of the agents' orders and fault injection (default: ${DEFAULT-VALUE})")
    int agentPort;

    @Option(names = "--redfish-port", defaultValue = "7443", description = "HTTPS port of the simulated BMCs (default: ${DEFAULT-VALUE})")
    int redfishPort;

    @Option(names = "--tls-dir", required = true, description = "where the BMCs' self-signed certificate is made; DIR/bmc.pem is the trust store to configure")
    Path tlsDir;

    @Option(names = "--bmc-password-file", required = true, description = "the Redfish password of user admin on every simulated BMC")
    Path bmcPasswordFile;

    @Option(names = "--speed", defaultValue = "1", description = "how much faster than the wall clock the hardware runs (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--timings", defaultValue = "default", description = "hardware delays: default or fast (default: ${DEFAULT-VALUE})")
    String timings;

    @Override
    public Integer call() throws Exception {
        List<URI> urls = new ArrayList<>();
        for (String u : nodes.split(",")) {
            try {
                URI uri = URI.create(u.trim());
                if (uri.getHost() == null || !uri.getScheme().startsWith("http")) throw new IllegalArgumentException();
                urls.add(uri);
            } catch (IllegalArgumentException e) {
                return fail("--nodes", "expected http://HOST:PORT URLs separated by commas, got '" + u + "'");
            }
        }
        SimTimings t = switch (timings) {
            case "default" -> SimTimings.DEFAULTS;
            case "fast" -> SimTimings.FAST;
            default -> null;
        };
        if (t == null) return fail("--timings", "expected default or fast, got '" + timings + "'");
        if (speed <= 0) return fail("--speed", "expected a positive number, got " + speed);
        for (var p : java.util.Map.of("--agent-port", agentPort, "--redfish-port", redfishPort).entrySet()) {
            if (p.getValue() < 0 || p.getValue() > 65535) return fail(p.getKey(), "expected a port 0-65535, got " + p.getValue());
        }
        if (!Files.isReadable(bmcPasswordFile)) return fail("--bmc-password-file", "cannot read " + bmcPasswordFile);
        DataCenterConfig dc = ConfigLoader.load(config);
        SimulatorProcess sim = new SimulatorProcess(new SimulatorProcess.Settings(dc, urls, bind, agentPort, redfishPort, tlsDir,
                bmcPasswordFile, speed, t));
        System.out.println("understudy sim-dc running: " + dc.servers().size() + " servers");
        System.out.println("  agents:        http://" + bind + ":" + sim.agentPort() + " (fault injection: POST /v1/sim/servers/ID/fail?mode=crash)");
        System.out.println("  redfish BMCs:  https://" + bind + ":" + sim.redfishPort() + " (trust store " + tlsDir.resolve("bmc.pem") + ")");
        System.out.println("  heartbeats to: " + urls);
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static int fail(String option, String message) {
        System.err.println("error: " + option + ": " + message);
        return 2;
    }
}
