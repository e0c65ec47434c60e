package io.understudy.system.netns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.drivers.peers.Peers;
import io.understudy.state.Json;
import io.understudy.system.SystemTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The control plane's own partition: three server processes, each in a network namespace of its own, and the
 * simulated data center ({@code understudy sim-dc}: Redfish BMCs and agents) in a fourth. The leader's link is cut:
 * it is alone, the other two hold the majority. A new leader must take over without failing anything over (the
 * agents still reach it: invariant 5); a server that then loses power is failed over by the majority; the old leader,
 * healed, rejoins and holds the same job history as the others.
 */
class PartitionNetnsTest {
    static final Path JAR = NetnsDataCenter.JAR;
    static final List<String> NODES = List.of("n1", "n2", "n3");

    Lab lab;
    Path dir;
    final List<Process> processes = new ArrayList<>();
    String token;

    @AfterEach
    void close() throws Exception {
        for (Process p : processes) p.destroyForcibly();
        if (lab != null) lab.close();
        for (Process p : processes) p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void leaderCutFromTheMajority_anotherLeadsWithoutFailover_failuresAreStillHandled_andTheOldLeaderRejoins() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("1".equals(System.getenv(Peers.REQUIRE))) throw new AssertionError("network namespace tests need root");
            Assumptions.abort("not root: network namespaces need CAP_NET_ADMIN");
        }
        Peers.require("ip", "curl");
        dir = Path.of("target", "netns-run", "partition").toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Map<String, Integer> hosts = new LinkedHashMap<>();
        hosts.put("n1", 2);
        hosts.put("n2", 3);
        hosts.put("n3", 4);
        hosts.put("dc", 20);
        lab = new Lab(hosts);

        Path bmcPassword = Files.writeString(dir.resolve("bmc.pw"), "bmc-" + System.nanoTime());
        Path tls = dir.resolve("tls");
        Path config = Files.writeString(dir.resolve("dc.yaml"), dataCenter(tls.resolve("bmc.pem"), bmcPassword));
        String nodeUrls = NODES.stream().map(n -> "http://" + lab.address(n) + ":8080").collect(Collectors.joining(","));
        start("dc", "understudy sim-dc running", "sim-dc", "--config", config.toString(), "--nodes", nodeUrls,
                "--bind", lab.address("dc"), "--agent-port", "7700", "--redfish-port", "7443", "--tls-dir", tls.toString(),
                "--bmc-password-file", bmcPassword.toString(), "--timings", "fast");
        String peers = NODES.stream().map(n -> n + "=" + lab.address(n) + ":8081").collect(Collectors.joining(","));
        Path tokens = dir.resolve("tokens.json");
        SystemTests.inParallel(NODES, Duration.ofSeconds(120), n ->
                start(n, "understudy server running", "server", "--node-id", n, "--peers", peers, "--config", config.toString(),
                        "--data-dir", dir.resolve("data-" + n).toString(), "--bind", lab.address(n), "--port", "8080",
                        "--tokens", tokens.toString()));
        token = SystemTests.adminToken(tokens);

        await(n -> SystemTests.stream(n).allMatch(s -> s.get("state").asText().equals("running")), Duration.ofSeconds(60), NODES, "/api/v1/servers");
        String leader = await(n -> n.hasNonNull("leader"), Duration.ofSeconds(30), NODES, "/api/v1/cluster").get("leader").asText();
        List<String> majority = NODES.stream().filter(n -> !n.equals(leader)).toList();

        lab.cut(leader);
        String next = await(n -> n.hasNonNull("leader") && !n.get("leader").asText().equals(leader), Duration.ofSeconds(30),
                majority, "/api/v1/cluster").get("leader").asText();
        assertThat(majority).contains(next);
        // Two failure timeouts and more: the leader change and the partition alone fail nothing over.
        Thread.sleep(3000);
        assertThat(get(next, "/api/v1/jobs")).as("no failover because of the partition").isEmpty();

        // The majority still handles failures.
        lab.exec("dc", "curl", "-sf", "-m", "5", "-X", "POST", "http://" + lab.address("dc") + ":7700/v1/sim/servers/r1/fail?mode=power-loss");
        JsonNode jobs = await(n -> n.size() == 1 && n.get(0).get("status").asText().equals("succeeded"), Duration.ofSeconds(60),
                majority, "/api/v1/jobs");
        assertThat(jobs.get(0).get("profile").asText()).isEqualTo("p1");

        // Healed, the old leader follows and catches up: the same history everywhere.
        lab.heal(leader);
        JsonNode onMajority = get(next, "/api/v1/jobs");
        await(n -> n.equals(onMajority), Duration.ofSeconds(30), List.of(leader), "/api/v1/jobs");
        JsonNode cluster = await(n -> n.hasNonNull("leader"), Duration.ofSeconds(10), List.of(leader), "/api/v1/cluster");
        assertThat(cluster.get("isLeader").asBoolean()).isFalse();
        assertThat(get(next, "/api/v1/jobs")).hasSize(1);
    }

    private String dataCenter(Path trustStore, Path bmcPassword) throws IOException {
        StringBuilder y = new StringBuilder("name: partition\nenclosures:\n  - {id: enc1, bays: 4}\nservers:\n");
        int bay = 1;
        for (String id : List.of("r1", "r2", "s1", "s2")) {
            Path secret = Files.writeString(dir.resolve("agent-" + id + ".secret"), "secret-" + id + "-" + System.nanoTime());
            y.append("  - id: ").append(id).append("\n    location: enc1/bay").append(bay).append("\n    hostname: ").append(id)
                    .append("\n    address: 198.18.1.").append(10 + bay++).append("\n    model: DL360\n    generation: G10\n    cores: 16\n    memoryGib: 64\n")
                    .append("    bmc: {driver: redfish, endpoint: \"https://").append(lab.address("dc")).append(":7443/redfish/v1/Systems/").append(id)
                    .append("\", username: admin, passwordFile: \"").append(bmcPassword).append("\", trustStore: \"").append(trustStore).append("\"}\n")
                    .append("    agent: {endpoint: \"http://").append(lab.address("dc")).append(":7700\", secretFile: \"").append(secret).append("\"}\n");
        }
        y.append("groups:\n  - id: hot\n    servers: [r1, r2]\n    spares: [s1, s2]\n")
                .append("    policy: {protection: hot, eventHandling: auto-failover, heartbeatInterval: 200ms, failureTimeout: 1s}\n")
                .append("profiles:\n");
        for (int i = 1; i <= 2; i++) {
            y.append("  - {id: p").append(i).append(", group: hot, home: r").append(i).append(", identity: {hostname: p").append(i)
                    .append(", addresses: [198.18.2.").append(i).append("/24]}, workload: {name: app").append(i)
                    .append("}, requirements: {model: DL360, minCores: 8, minMemoryGib: 32}}\n");
        }
        return y.toString();
    }

    private void start(String host, String ready, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(host + ".log");
        Process p = lab.start(host, log, Map.of("HOME", Files.createDirectories(dir.resolve("home-" + host)).toString()), cmd);
        synchronized (processes) {
            processes.add(p);
        }
        SystemTests.awaitLine(log, ready, p, Duration.ofSeconds(90));
    }

    /** Asks each node in turn, from inside its own namespace, until one answers to the condition (bounded). */
    private JsonNode await(Predicate<JsonNode> done, Duration limit, List<String> nodes, String path) throws Exception {
        limit = SystemTests.patience(limit);
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (String n : nodes) {
                try {
                    last = get(n, path);
                    if (done.test(last)) return last;
                } catch (IOException down) {
                    // starting, cut off, or busy: ask the next
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not reached within " + limit + " on " + nodes + path + "; last answer: " + last);
    }

    private JsonNode get(String node, String path) throws IOException {
        return Json.MAPPER.readTree(lab.exec(node, "curl", "-sf", "-m", "3", "-H", "Authorization: Bearer " + token,
                "http://" + lab.address(node) + ":8080" + path));
    }


}
