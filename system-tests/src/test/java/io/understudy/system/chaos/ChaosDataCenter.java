package io.understudy.system.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data center every trial runs on: one hot group of four regular servers, two qualified spares and one spare of
 * another model (no profile may land there: invariant 3), with policy timeouts short enough that a trial takes
 * seconds. The checker reads its numbers (retry and fallback caps, models) from here, the same values the YAML says.
 */
final class ChaosDataCenter {
    static final String GROUP = "hot";
    static final String MODEL = "DL360";
    static final int MIN_CORES = 8;
    static final int MIN_MEMORY_GIB = 32;
    static final int FALLBACK_LIMIT = 2;
    static final int RETRY_LIMIT = 3;
    /** Scheduler time over which retries and fallbacks are counted (longer than any trial). */
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** A server and what it offers. */
    record Server(String id, boolean spare, String model, int cores, int memoryGib) {}

    static final List<Server> SERVERS = List.of(
            new Server("r1", false, MODEL, 16, 64), new Server("r2", false, MODEL, 16, 64),
            new Server("r3", false, MODEL, 16, 64), new Server("r4", false, MODEL, 16, 64),
            new Server("s1", true, MODEL, 16, 64), new Server("s2", true, MODEL, 16, 64),
            new Server("s3", true, "DL380", 32, 128));
    /** Profile → home server; p1 and p2 fall back by themselves (invariant 6 is about them), p3 and p4 by an operator. */
    static final Map<String, String> HOMES = Map.of("p1", "r1", "p2", "r2", "p3", "r3", "p4", "r4");

    private ChaosDataCenter() {}

    static List<String> serverIds() {
        return SERVERS.stream().map(Server::id).toList();
    }

    static List<String> profiles() {
        return HOMES.keySet().stream().sorted().toList();
    }

    static Server server(String id) {
        return SERVERS.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
    }

    /** Whether a server meets every profile's needs (they are all the same here). */
    static boolean qualifies(String serverId) {
        Server s = server(serverId);
        return s != null && s.model().equals(MODEL) && s.cores() >= MIN_CORES && s.memoryGib() >= MIN_MEMORY_GIB;
    }

    /** Writes the YAML for a simulated data center on sim-dc's ports. */
    static Path write(Path dir, int agentPort, int redfishPort, Path trustStore, Path bmcPassword) throws IOException {
        StringBuilder y = new StringBuilder("name: chaos\nenclosures:\n  - {id: enc1, bays: 8}\nservers:\n");
        int bay = 0;
        for (Server s : SERVERS) {
            bay++;
            Path secret = Files.writeString(dir.resolve("agent-" + s.id() + ".secret"), "secret-" + s.id() + "-" + System.nanoTime());
            y.append("  - id: ").append(s.id()).append("\n    location: enc1/bay").append(bay)
                    .append("\n    hostname: ").append(s.id()).append(".mgmt\n    address: 198.18.0.").append(10 + bay)
                    .append("\n    model: ").append(s.model()).append("\n    generation: G10\n    cores: ").append(s.cores())
                    .append("\n    memoryGib: ").append(s.memoryGib()).append('\n')
                    .append("    bmc: {driver: redfish, endpoint: \"https://127.0.0.1:").append(redfishPort).append("/redfish/v1/Systems/").append(s.id())
                    .append("\", username: admin, passwordFile: \"").append(bmcPassword).append("\", trustStore: \"").append(trustStore).append("\"}\n")
                    .append("    agent: {endpoint: \"http://127.0.0.1:").append(agentPort).append("\", secretFile: \"").append(secret).append("\"}\n");
        }
        List<String> regulars = new ArrayList<>();
        List<String> spares = new ArrayList<>();
        for (Server s : SERVERS) (s.spare() ? spares : regulars).add(s.id());
        y.append("groups:\n  - id: ").append(GROUP).append("\n    servers: ").append(regulars).append("\n    spares: ").append(spares)
                .append("\n    policy: {protection: hot, eventHandling: auto-failover, heartbeatInterval: 500ms, failureTimeout: 2s,")
                .append(" anticipatedFailures: 2, fenceTimeout: 10s, bootTimeout: 30s, verifyTimeout: 10s, fallbackHoldDown: 4s,")
                .append(" fallbackLimit: ").append(FALLBACK_LIMIT).append(", fallbackWindow: ").append(WINDOW.toMinutes()).append("m")
                .append(", selfFenceTimeout: 3s");
        // Server builds from before the automatic-job budget (issue 10) refuse these keys; the checker still holds
        // them to RETRY_LIMIT, which is what it is to catch there.
        if (!"1".equals(System.getenv("UNDERSTUDY_CHAOS_LEGACY_CONFIG"))) {
            y.append(", retryBackoff: 2s, retryLimit: ").append(RETRY_LIMIT).append(", retryWindow: ").append(WINDOW.toMinutes()).append("m");
        }
        y.append("}\nprofiles:\n");
        int n = 0;
        for (String p : profiles()) {
            n++;
            y.append("  - {id: ").append(p).append(", group: ").append(GROUP).append(", home: ").append(HOMES.get(p))
                    .append(", fallback: ").append(n <= 2 ? "automatic" : "manual")
                    .append(", identity: {hostname: ").append(p).append(", addresses: [198.18.1.").append(n).append("/24]}")
                    .append(", workload: {name: app").append(n).append("}, requirements: {model: ").append(MODEL)
                    .append(", minCores: ").append(MIN_CORES).append(", minMemoryGib: ").append(MIN_MEMORY_GIB).append("}}\n");
        }
        return Files.writeString(dir.resolve("dc.yaml"), y.toString());
    }
}
