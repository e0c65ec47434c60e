package io.understudy.agent;

import io.understudy.model.config.ConfigError;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code agent.yaml}: which server this agent runs on, where it takes orders, every control-plane node it reports to,
 * its secret (named, never written here), and how it adapts the host.
 *
 * <pre>
 * server: r1
 * listen: 198.18.0.11:7700
 * controlPlane: [http://198.18.0.2:8080, http://198.18.0.3:8080, http://198.18.0.4:8080]
 * secretFile: /etc/understudy/agent.secret      # or secretEnv: UNDERSTUDY_AGENT_SECRET
 * heartbeatInterval: 200ms                      # the group's interval, down to 100ms
 * host: {interfaceName: eth0, prefix: 24, setMac: false, dadTimeout: 100ms}
 * data: {backupDir: /var/lib/understudy/backups, root: /}   # optional: backups of profiles' data directories
 * </pre>
 */
public record AgentConfig(String server, String listen, List<String> controlPlane, String secretFile, String secretEnv,
                          Duration heartbeatInterval, HostSection host, DataSection data) {

    public AgentConfig(String server, String listen, List<String> controlPlane, String secretFile, String secretEnv,
                       Duration heartbeatInterval, HostSection host) {
        this(server, listen, controlPlane, secretFile, secretEnv, heartbeatInterval, host, null);
    }

    /**
     * Where backups are kept ({@code backupDir}) and under which directory profiles' data directories are found
     * ({@code root}, "/" unless several hosts share one filesystem, as in a lab).
     */
    public record DataSection(Path backupDir, Path root, Duration fetchTimeout) {}

    public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

    /** The host adaptation settings; unset fields take the Linux host's defaults. */
    public record HostSection(String interfaceName, Integer prefix, Boolean setMac, Path hostnameFile, String model,
                              Integer announceRepeats, Duration announceInterval, Duration announcePeriod,
                              Duration commandTimeout, Duration workloadTimeout, Duration dadTimeout) {
        public HostSection(String interfaceName, Integer prefix, Boolean setMac, Path hostnameFile, String model,
                           Integer announceRepeats, Duration announceInterval, Duration announcePeriod,
                           Duration commandTimeout, Duration workloadTimeout) {
            this(interfaceName, prefix, setMac, hostnameFile, model, announceRepeats, announceInterval, announcePeriod,
                    commandTimeout, workloadTimeout, null);
        }
    }

    public AgentConfig {
        controlPlane = controlPlane == null ? List.of() : List.copyOf(controlPlane);
        if (heartbeatInterval == null) heartbeatInterval = Duration.ofSeconds(1);
    }

    /** Every problem, each with its field path. */
    public List<ConfigError> problems() {
        List<ConfigError> errors = new ArrayList<>();
        if (server == null || server.isBlank()) errors.add(new ConfigError("server", "expected this server's id in the data center"));
        if (listen == null || !listen.matches("[^\\s:]+:\\d{1,5}") || Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)) > 65535) {
            errors.add(new ConfigError("listen", "expected ADDRESS:PORT where orders come in, e.g. 198.18.0.11:7700, got '" + listen + "'"));
        }
        if (controlPlane.isEmpty()) errors.add(new ConfigError("controlPlane", "expected every control-plane node's URL"));
        for (int i = 0; i < controlPlane.size(); i++) {
            try {
                URI u = URI.create(controlPlane.get(i));
                if (u.getHost() == null || !List.of("http", "https").contains(u.getScheme())) throw new IllegalArgumentException();
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError("controlPlane[" + i + "]", "expected an http(s)://HOST:PORT URL, got '" + controlPlane.get(i) + "'"));
            }
        }
        if ((secretFile == null) == (secretEnv == null)) {
            errors.add(new ConfigError("secretFile", "set exactly one of secretFile or secretEnv: every message is signed with it"));
        }
        if (heartbeatInterval.compareTo(MIN_HEARTBEAT) < 0) {
            errors.add(new ConfigError("heartbeatInterval", "expected at least 100ms, got " + heartbeatInterval.toMillis() + "ms"));
        }
        if (data != null && data.backupDir() == null) errors.add(new ConfigError("data.backupDir", "expected the directory where backups are kept"));
        if (data != null && data.root() != null && !data.root().isAbsolute()) {
            errors.add(new ConfigError("data.root", "expected an absolute path, got '" + data.root() + "'"));
        }
        if (host == null || host.interfaceName() == null) errors.add(new ConfigError("host.interfaceName", "expected the interface that carries the aliases, e.g. eth0"));
        return errors;
    }

    public String bindAddress() {
        return listen.substring(0, listen.lastIndexOf(':'));
    }

    public int port() {
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    public List<URI> nodes() {
        return controlPlane.stream().map(URI::create).toList();
    }
}
