package io.understudy.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes in one Raft group and a simulated data center in a fourth process, reached the way
 * hardware is: Redfish BMCs and agents that heartbeat to every node. A whole enclosure loses power; while its
 * profiles are being failed over, the leader is killed with kill -9. Every profile must end on a spare, each job
 * exactly once, and the job history must be the same on every surviving node.
 */
class ClusterProcessTest {
    private static final int REGULARS = 4;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> nodes = new HashMap<>();
    private final Map<String, Integer> httpPort = new HashMap<>();
    private String token;
    private int agentPort;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    @Test
    void kill9TheLeaderDuringAnEnclosureFailure_everyProfileEndsOnASpareOnce_andEveryNodeHasTheSameHistory() throws Exception {
        List<Integer> ports = SystemTests.freePortTriples(3 * 3 + 2);
        agentPort = ports.get(9);
        int redfishPort = ports.get(10);
        List<String> ids = List.of("n1", "n2", "n3");
        String peers = IntStream.range(0, 3).mapToObj(i -> ids.get(i) + "=127.0.0.1:" + (ports.get(3 * i) + 1)).collect(Collectors.joining(","));
        // The HTTP port's successors are the Raft port and the Redfish event port; reserve all three by spacing.
        for (int i = 0; i < 3; i++) httpPort.put(ids.get(i), ports.get(3 * i));
        Path tls = tmp.resolve("tls");
        Path bmcPassword = Files.writeString(tmp.resolve("bmc.pw"), "bmc-" + System.nanoTime());
        Path config = Files.writeString(tmp.resolve("dc.yaml"), dataCenter(redfishPort, tls.resolve("bmc.pem"), bmcPassword));
        String nodeUrls = ids.stream().map(this::url).collect(Collectors.joining(","));

        start("sim-dc", "understudy sim-dc running", "sim-dc", "--config", config.toString(), "--nodes", nodeUrls,
                "--agent-port", String.valueOf(agentPort), "--redfish-port", String.valueOf(redfishPort), "--tls-dir", tls.toString(),
                "--bmc-password-file", bmcPassword.toString());
        Path tokens = tmp.resolve("tokens.json");
        SystemTests.inParallel(ids, Duration.ofSeconds(120), id -> {
            Process p = start(id, "understudy server running", "server", "--node-id", id, "--peers", peers,
                    "--config", config.toString(), "--data-dir", tmp.resolve("data-" + id).toString(),
                    "--port", String.valueOf(httpPort.get(id)), "--tokens", tokens.toString());
            synchronized (nodes) {
                nodes.put(id, p);
            }
        });
        token = SystemTests.adminToken(tokens);

        // Every server seen running by the group: the agents report to all three nodes.
        await(n -> SystemTests.stream(n).allMatch(s -> s.get("state").asText().equals("running")), Duration.ofSeconds(60), ids, "/api/v1/servers");
        for (String id : ids) {
            await(n -> SystemTests.stream(n).allMatch(a -> !a.get("lastHeartbeat").isNull()), Duration.ofSeconds(30), List.of(id), "/api/v1/agents");
        }
        String leader = leader(ids);

        for (int i = 1; i <= REGULARS; i++) {
            HttpResponse<String> r = post("http://127.0.0.1:" + agentPort + "/v1/sim/servers/r" + i + "/fail?mode=power-loss");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        // Kill the leader once the failovers are under way: a job is past its fence, moving the profile.
        List<String> midway = List.of("move-profile", "activate", "verify");
        JsonNode underWay = await(n -> SystemTests.stream(n).anyMatch(j -> midway.contains(j.path("currentStep").asText())),
                Duration.ofSeconds(60), List.of(leader), "/api/v1/jobs");
        assertThat(SystemTests.stream(underWay).filter(j -> j.get("status").asText().equals("running")).count())
                .as("jobs still running when the leader dies: " + underWay).isPositive();
        nodes.get(leader).destroyForcibly();
        assertThat(nodes.get(leader).waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> survivors = ids.stream().filter(id -> !id.equals(leader)).toList();

        JsonNode jobs = await(n -> n.size() == REGULARS && SystemTests.stream(n).allMatch(j -> !j.get("status").asText().equals("running")),
                Duration.ofSeconds(90), survivors, "/api/v1/jobs");
        assertThat(SystemTests.stream(jobs).map(j -> j.get("status").asText())).as(jobs.toString()).containsOnly("succeeded");
        assertThat(SystemTests.stream(jobs).map(j -> j.get("profile").asText()).distinct().count()).as("one job per profile").isEqualTo(REGULARS);

        JsonNode profiles = get(url(survivors.get(0)) + "/api/v1/profiles");
        for (JsonNode p : profiles) assertThat(p.get("server").asText()).as(p.toString()).startsWith("s");
        // What the hardware says: each profile's identity is held by exactly one server, a spare (invariant 1).
        JsonNode hardware = get("http://127.0.0.1:" + agentPort + "/v1/sim/servers");
        Map<String, List<String>> holders = new HashMap<>();
        for (JsonNode s : hardware) {
            if (!s.get("identity").isNull()) holders.computeIfAbsent(s.get("identity").asText(), k -> new ArrayList<>()).add(s.get("id").asText());
        }
        for (int i = 1; i <= REGULARS; i++) assertThat(holders.get("p" + i)).hasSize(1).allMatch(s -> s.startsWith("s"));

        // The surviving nodes agree on the whole job history, step by step, once the group has settled.
        JsonNode a = get(url(survivors.get(0)) + "/api/v1/jobs");
        JsonNode b = await(n -> n.equals(a), Duration.ofSeconds(10), List.of(survivors.get(1)), "/api/v1/jobs");
        assertThat(b).isEqualTo(a);
    }

    private String dataCenter(int redfishPort, Path trustStore, Path bmcPassword) throws IOException {
        StringBuilder y = new StringBuilder("name: cluster-test\nenclosures:\n  - {id: enc1, bays: 8}\n  - {id: enc2, bays: 8}\nservers:\n");
        List<String> regulars = new ArrayList<>();
        List<String> spares = new ArrayList<>();
        for (int i = 1; i <= REGULARS; i++) {
            regulars.add("r" + i);
            spares.add("s" + i);
        }
        int bay = 0;
        for (String id : concat(regulars, spares)) {
            String enc = id.startsWith("r") ? "enc1" : "enc2";
            int b = Integer.parseInt(id.substring(1));
            Path secret = Files.writeString(tmp.resolve("agent-" + id + ".secret"), "secret-" + id + "-" + System.nanoTime());
            y.append("  - id: ").append(id).append("\n    location: ").append(enc).append("/bay").append(b)
                    .append("\n    hostname: ").append(id).append(".mgmt\n    address: 198.18.0.").append(10 + ++bay)
                    .append("\n    model: DL360\n    generation: G10\n    cores: 16\n    memoryGib: 64\n")
                    .append("    bmc: {driver: redfish, endpoint: \"https://127.0.0.1:").append(redfishPort).append("/redfish/v1/Systems/").append(id)
                    .append("\", username: admin, passwordFile: \"").append(bmcPassword).append("\", trustStore: \"").append(trustStore).append("\"}\n")
                    .append("    agent: {endpoint: \"http://127.0.0.1:").append(agentPort).append("\", secretFile: \"").append(secret).append("\"}\n");
        }
        y.append("groups:\n  - id: hot\n    servers: ").append(regulars).append("\n    spares: ").append(spares)
                .append("\n    policy: {protection: hot, eventHandling: auto-failover, heartbeatInterval: 200ms, failureTimeout: 1s, anticipatedFailures: ")
                .append(REGULARS).append("}\nprofiles:\n");
        for (int i = 1; i <= REGULARS; i++) {
            y.append("  - {id: p").append(i).append(", group: hot, home: r").append(i)
                    .append(", identity: {hostname: p").append(i).append(", addresses: [198.18.1.").append(i).append("/24]}")
                    .append(", workload: {name: app").append(i).append("}, requirements: {model: DL360, minCores: 8, minMemoryGib: 32}}\n");
        }
        return y.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private String url(String node) {
        return "http://127.0.0.1:" + httpPort.get(node);
    }

    /** The leader, as every node's cluster view agrees on it (bounded wait). */
    private String leader(List<String> ids) throws Exception {
        JsonNode status = await(n -> n.hasNonNull("leader"), Duration.ofSeconds(30), ids, "/api/v1/cluster");
        return status.get("leader").asText();
    }

    /** Starts a process whose output goes to target/cluster-logs/NAME.log, and waits (bounded) for its ready line. */
    private Process start(String name, String ready, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", UnderstudyProcess.JAR.toString()));
        cmd.addAll(List.of(args));
        Path log = Files.createDirectories(Path.of("target", "cluster-logs")).resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HOME", Files.createDirectories(tmp.resolve("home-" + name)).toString());
        Process p = pb.start();
        synchronized (processes) {
            processes.add(p);
        }
        SystemTests.awaitLine(log, ready, p, Duration.ofSeconds(90));
        return p;
    }


    /** Asks each node in turn (bounded) until one answers with JSON that satisfies the condition. */
    private JsonNode await(Predicate<JsonNode> done, Duration limit, List<String> ids, String path) throws Exception {
        limit = SystemTests.patience(limit);
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (String id : ids) {
                try {
                    last = get(url(id) + path);
                    if (done.test(last)) return last;
                } catch (IOException down) {
                    // that node is down or starting; ask the next
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not reached within " + limit + " on " + ids + path + "; last answer: " + last);
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + ": HTTP " + r.statusCode() + " " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }


}
