package io.understudy.cli.launch;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.understudy.agent.Agent;
import io.understudy.agent.AgentConfig;
import io.understudy.agent.data.LocalData;
import io.understudy.agent.linux.LinuxHost;
import io.understudy.agent.linux.LinuxHostSettings;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.agent.AgentSecrets;
import io.understudy.model.config.AgentSpec;
import io.understudy.model.config.ConfigError;
import io.understudy.server.ScaledScheduler;
import io.understudy.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code understudy agent}: the daemon on each server (Linux): heartbeats, inventory, identity and workload on orders. */
@Command(name = "agent", description = "Run the agent on this server: heartbeats to every control-plane node, identity "
        + "(alias addresses + gratuitous ARP) and workload on signed orders.")
public final class AgentCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "agent.yaml: server, listen, controlPlane, secretFile|secretEnv, heartbeatInterval, host")
    Path config;

    @Override
    public Integer call() throws Exception {
        AgentConfig c;
        try {
            c = Json.YAML.readValue(Files.readString(config), AgentConfig.class);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("(root)");
            System.err.println("error: " + config + ": " + path + ": " + e.getOriginalMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("error: --config: cannot read " + config + ": " + e.getMessage());
            return 2;
        }
        List<ConfigError> errors = new java.util.ArrayList<>(c.problems());
        LinuxHostSettings hostSettings = null;
        if (c.host() != null && c.host().interfaceName() != null) {
            try {
                hostSettings = hostSettings(c.host());
            } catch (LinuxHostSettings.Invalid e) {
                e.errors().forEach(x -> errors.add(new ConfigError("host." + x.path(), x.message())));
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> System.err.println("error: " + config + ": " + e));
            return 2;
        }
        String secret;
        try {
            secret = AgentSecrets.fromEnvironment().secret(c.server(), new AgentSpec("http://agent", c.secretEnv(), c.secretFile()));
        } catch (DriverException e) {
            System.err.println("error: " + config + ": secret: " + e.getMessage());
            return 2;
        }
        // Separate clocks: a gratuitous-ARP round holds its thread for a second, and heartbeats must never wait on it.
        ScaledScheduler announcing = new ScaledScheduler(1.0, Instant.now());
        ScaledScheduler beating = new ScaledScheduler(1.0, Instant.now());
        LinuxHost host;
        try {
            host = LinuxHost.start(hostSettings, announcing);
        } catch (DriverException e) {
            System.err.println("error: host: " + e.getMessage());
            return 1;
        }
        LocalData data = null;
        if (c.data() != null) {
            Path root = c.data().root() != null ? c.data().root() : Path.of("/");
            host.dataRoot(root);
            LinuxHost h = host;
            data = new LocalData(new LocalData.Settings(c.data().backupDir(), root, LocalData.Settings.KEEP,
                    c.data().fetchTimeout() != null ? c.data().fetchTimeout() : java.time.Duration.ofMinutes(10)),
                    host, h::reloadWorkload, Clock.systemUTC(), java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(5)).build());
        }
        Agent agent = new Agent(new Agent.Settings(c.server(), c.bindAddress(), c.port(), c.nodes(), secret, c.heartbeatInterval()),
                host, data, beating, Clock.systemUTC());
        System.out.println("understudy agent running for " + c.server() + ": orders on " + c.bindAddress() + ":" + agent.port()
                + ", heartbeats every " + c.heartbeatInterval().toMillis() + " ms to " + c.controlPlane());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            host.close();
            beating.close();
            announcing.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static LinuxHostSettings hostSettings(AgentConfig.HostSection h) {
        LinuxHostSettings d = LinuxHostSettings.defaults(h.interfaceName());
        return new LinuxHostSettings(h.interfaceName(), h.prefix() != null ? h.prefix() : d.prefix(),
                h.setMac() != null ? h.setMac() : d.setMac(), h.hostnameFile(), h.model(),
                h.announceRepeats() != null ? h.announceRepeats() : d.announceRepeats(),
                h.announceInterval() != null ? h.announceInterval() : d.announceInterval(),
                h.announcePeriod() != null ? h.announcePeriod() : d.announcePeriod(),
                h.commandTimeout() != null ? h.commandTimeout() : d.commandTimeout(),
                h.workloadTimeout() != null ? h.workloadTimeout() : d.workloadTimeout(),
                h.dadTimeout() != null ? h.dadTimeout() : d.dadTimeout());
    }
}
