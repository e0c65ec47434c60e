package io.understudy.system.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The data center every trial runs on: a hot group of four regular servers, two qualified spares and one spare of
 * another model (no profile may land there: invariant 3), and a cold group of two blades and one powered-off spare
 * (a failover there powers the spare on: a spare whose power is stuck is the retry budget's case), with policy
 * timeouts short enough that a trial takes seconds. The checker reads its numbers (retry and fallback caps, models)
 * from here, the same values the YAML says.
 */
final class ChaosDataCenter {
    static final String HOT = "hot";
    static final String COLD = "cold";
    static final List<String> GROUPS = List.of(HOT, COLD);
    static final int MIN_CORES = 8;
    static final int MIN_MEMORY_GIB = 32;
    static final int FALLBACK_LIMIT = 2;
    static final int RETRY_LIMIT = 3;
    /** Scheduler time over which retries and fallbacks are counted (longer than any trial). */
    static final Duration WINDOW = Duration.ofMinutes(10);
    /** The model each group's profiles require. */
    static final Map<String, String> MODEL = Map.of(HOT, "DL360", COLD, "BL460c");

    /** A server and what it offers. */
    record Server(String id, String group, boolean spare, String model, int cores, int memoryGib) {}

    static final List<Server> SERVERS = List.of(
            new Server("r1", HOT, false, "DL360", 16, 64), new Server("r2", HOT, false, "DL360", 16, 64),
            new Server("r3", HOT, false, "DL360", 16, 64), new Server("r4", HOT, false, "DL360", 16, 64),
            new Server("s1", HOT, true, "DL360", 16, 64), new Server("s2", HOT, true, "DL360", 16, 64),
            new Server("s3", HOT, true, "DL380", 32, 128),
            new Server("c1", COLD, false, "BL460c", 16, 64), new Server("c2", COLD, false, "BL460c", 16, 64),
            new Server("cs1", COLD, true, "BL460c", 16, 64));
    /**
     * Profile → home server; p1, p2 and p5 fall back by themselves (invariant 6 is about them), p3, p4 and p6 by an
     * operator. p5 and p6 are the cold group's.
     */
    static final Map<String, String> HOMES = Map.of("p1", "r1", "p2", "r2", "p3", "r3", "p4", "r4", "p5", "c1", "p6", "c2");
    private static final java.util.Set<String> AUTOMATIC = java.util.Set.of("p1", "p2", "p5");
    /** Ordered boot, when the campaign is asked for it: the profile each one starts after. */
    static final Map<String, String> AFTER = Map.of("p4", "p3", "p6", "p5");

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

    /** The group a profile belongs to: its home's. */
    static String groupOf(String profile) {
        Server home = server(HOMES.get(profile));
        return home == null ? null : home.group();
    }

    /** Whether a server meets a profile's needs: in its group, of its model, with the cores and memory it asks. */
    static boolean qualifies(String profile, String serverId) {
        Server s = server(serverId);
        String group = groupOf(profile);
        return s != null && group != null && s.group().equals(group) && s.model().equals(MODEL.get(group))
                && s.cores() >= MIN_CORES && s.memoryGib() >= MIN_MEMORY_GIB;
    }

    /** Writes the YAML for a simulated data center on sim-dc's ports. */
    static Path write(Path dir, int agentPort, int redfishPort, Path trustStore, Path bmcPassword) throws IOException {
        StringBuilder y = new StringBuilder("name: chaos\nenclosures:\n  - {id: enc1, bays: 16}\nservers:\n");
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
        y.append("groups:\n");
        for (String g : GROUPS) {
            List<String> regulars = new ArrayList<>();
            List<String> spares = new ArrayList<>();
            for (Server s : SERVERS) if (s.group().equals(g)) (s.spare() ? spares : regulars).add(s.id());
            y.append("  - id: ").append(g).append("\n    servers: ").append(regulars).append("\n    spares: ").append(spares)
                    .append("\n    policy: {protection: ").append(g).append(", eventHandling: auto-failover, heartbeatInterval: 500ms, failureTimeout: 2s,")
                    .append(" anticipatedFailures: ").append(g.equals(HOT) ? 2 : 1).append(", fenceTimeout: 10s, bootTimeout: 30s, verifyTimeout: 10s, fallbackHoldDown: 4s,")
                    .append(" fallbackLimit: ").append(FALLBACK_LIMIT).append(", fallbackWindow: ").append(WINDOW.toMinutes()).append("m")
                    .append(", selfFenceTimeout: 3s");
            // Server builds from before the automatic-job budget (issue 10) refuse these keys; the checker still holds
            // them to RETRY_LIMIT, which is what it is to catch there.
            if (!"1".equals(System.getenv("UNDERSTUDY_CHAOS_LEGACY_CONFIG"))) {
                y.append(", retryBackoff: 2s, retryLimit: ").append(RETRY_LIMIT).append(", retryWindow: ").append(WINDOW.toMinutes()).append("m");
            }
            y.append("}\n");
        }
        y.append("profiles:\n");
        int n = 0;
        for (String p : profiles()) {
            n++;
            String group = groupOf(p);
            y.append("  - {id: ").append(p).append(", group: ").append(group).append(", home: ").append(HOMES.get(p))
                    .append(", fallback: ").append(AUTOMATIC.contains(p) ? "automatic" : "manual")
                    .append(", identity: {hostname: ").append(p).append(", addresses: [198.18.1.").append(n).append("/24]");
            // A cold profile takes its MAC and its FC port (an NPIV port the agent moves; a boot-from-SAN one needs
            // an enclosure that moves FC addresses, which agents never do) to the spare.
            if (group.equals(COLD)) {
                y.append(", macs: [\"02:00:00:00:0c:0").append(n).append("\"], fcPorts: [{name: fc0, wwpn: \"50:01:43:80:0c:00:00:0").append(n).append("\"}]");
            }
            // With UNDERSTUDY_CHAOS_BOOT_ORDER=1 a profile of each group starts after another (ordered boot: p4 after
            // p3, p6 after p5), so the faults also hit jobs waiting in boot-order and servers coming back in order.
            boolean ordered = "1".equals(System.getenv("UNDERSTUDY_CHAOS_BOOT_ORDER")) && AFTER.containsKey(p);
            y.append("}, workload: {name: app").append(n).append("}, requirements: {model: ").append(MODEL.get(group))
                    .append(", minCores: ").append(MIN_CORES).append(", minMemoryGib: ").append(MIN_MEMORY_GIB).append("}")
                    .append(ordered ? ", after: [" + AFTER.get(p) + "]" : "").append("}\n");
        }
        return Files.writeString(dir.resolve("dc.yaml"), y.toString());
    }
}
