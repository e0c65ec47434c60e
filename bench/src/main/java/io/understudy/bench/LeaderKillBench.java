package io.understudy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import io.understudy.state.ratis.RatisSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Leader kill -9 across real processes: a simulated data center ({@code understudy sim-dc}) and three
 * {@code understudy server} processes in one Raft group, the group kept running across trials. Per trial a regular
 * server loses power; once its failover job is in its {@code activate} step (past the fence, the profile moved), the
 * leader's JVM is killed with SIGKILL, and two times are taken from the kill:
 * <ol>
 *   <li>(a) until a surviving node's {@code GET /api/v1/cluster} names a new leader (polled every 10 ms on each
 *   survivor; an observation, so an upper bound by up to one poll and one request);</li>
 *   <li>(b) until the new leader starts the job's next step: the {@code started} timestamp of the first step that
 *   started after the kill. Nodes and the simulator run at speed 1, so step timestamps are wall-clock instants on
 *   the same machine as the kill's timestamp.</li>
 * </ol>
 * Then the killed node is restarted on its data directory and rejoins, the failed server is repaired, and its
 * profile is fallen back by hand once the server has booted (a later trial, regulars are used in turn).
 *
 * <p>Arguments: {@code [TRIALS] [JAR] [WORK_DIR]} (defaults: 20, {@code ../cli/target/understudy.jar} or
 * {@code cli/target/understudy.jar}, a new temporary directory). Process logs are in WORK_DIR.
 */
public final class LeaderKillBench implements AutoCloseable {
    static final int REGULARS = 12;
    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(1);
    static final long POLL_MS = 10;
    static final List<String> IDS = List.of("n1", "n2", "n3");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Path jar;
    private final Path work;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private Process simDc;
    private int agentPort;
    private String token;
    private String peers;
    private Path config;
    private Path tokens;

    private static final class Node {
        final String id;
        final int port;
        Process process;

        Node(String id, int port) {
            this.id = id;
            this.port = port;
        }

        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /** One trial's figures. */
    record Trial(int n, String server, long job, String killed, String newLeader, long oldTerm, long newTerm,
                 double toLeaderMs, double toReadyMs, String atKill, String nextStep, double toNextStepMs, double nextStepSeenMs,
                 long failoversAfterKill) {}

    LeaderKillBench(Path jar, Path work) {
        this.jar = jar;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path jar = args.length > 1 ? Path.of(args[1]) : defaultJar();
        Path work = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("understudy-leader-kill");
        if (!Files.isReadable(jar)) throw new IllegalArgumentException("no shaded jar at " + jar + "; build it: ./mvnw -q -B -DskipTests package -pl cli -am");
        LeaderKillBench b = new LeaderKillBench(jar.toAbsolutePath(), work.toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(b::close));
        try {
            b.start();
            b.run(trials);
        } finally {
            b.close();
        }
    }

    private static Path defaultJar() {
        Path up = Path.of("..", "cli", "target", "understudy.jar");
        return Files.isReadable(up) ? up : Path.of("cli", "target", "understudy.jar");
    }

    // ---------------------------------------------------------------- set-up

    void start() throws Exception {
        List<Integer> ports = freePorts(3 * 3 + 2);
        agentPort = ports.get(9);
        int redfishPort = ports.get(10);
        for (int i = 0; i < 3; i++) nodes.put(IDS.get(i), new Node(IDS.get(i), ports.get(3 * i)));
        peers = nodes.values().stream().map(n -> n.id + "=127.0.0.1:" + (n.port + 1)).collect(Collectors.joining(","));
        Path tls = work.resolve("tls");
        Path bmcPassword = Files.writeString(work.resolve("bmc.pw"), "bmc-" + System.nanoTime());
        config = Files.writeString(work.resolve("dc.yaml"), dataCenter(redfishPort, tls.resolve("bmc.pem"), bmcPassword));
        tokens = work.resolve("tokens.json");
        String urls = nodes.values().stream().map(Node::url).collect(Collectors.joining(","));
        System.out.println("work directory (config, data, logs): " + work);
        simDc = launch("sim-dc", "understudy sim-dc running", "sim-dc", "--config", config.toString(), "--nodes", urls,
                "--agent-port", String.valueOf(agentPort), "--redfish-port", String.valueOf(redfishPort), "--tls-dir", tls.toString(),
                "--bmc-password-file", bmcPassword.toString());
        // The first node makes the tokens file; the others read it.
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (Node n : nodes.values()) starting.add(CompletableFuture.runAsync(() -> startNode(n)));
        for (CompletableFuture<Void> f : starting) f.get(180, TimeUnit.SECONDS);
        token = adminToken();
        await("every server running, seen by every node", Duration.ofSeconds(120), () -> {
            for (Node n : nodes.values()) {
                JsonNode s = get(n, "/api/v1/servers");
                if (s == null || !stream(s).allMatch(x -> x.path("state").asText().equals("running"))) return false;
            }
            return true;
        });
    }

    private void startNode(Node n) {
        try {
            n.process = launch(n.id, "understudy server running", "server", "--node-id", n.id, "--peers", peers,
                    "--config", config.toString(), "--data-dir", work.resolve("data-" + n.id).toString(),
                    "--port", String.valueOf(n.port), "--tokens", tokens.toString());
        } catch (Exception e) {
            throw new IllegalStateException(n.id + ": " + e.getMessage(), e);
        }
    }

    private String dataCenter(int redfishPort, Path trustStore, Path bmcPassword) throws IOException {
        StringBuilder y = new StringBuilder("name: leader-kill-bench\nenclosures:\n  - {id: enc1, bays: 16}\n  - {id: enc2, bays: 16}\nservers:\n");
        List<String> regulars = new ArrayList<>();
        List<String> spares = new ArrayList<>();
        for (int i = 1; i <= REGULARS; i++) {
            regulars.add("r" + i);
            spares.add("s" + i);
        }
        List<String> all = new ArrayList<>(regulars);
        all.addAll(spares);
        int address = 10;
        for (String id : all) {
            String enc = id.startsWith("r") ? "enc1" : "enc2";
            Path secret = Files.writeString(work.resolve("agent-" + id + ".secret"), "secret-" + id + "-" + System.nanoTime());
            y.append("  - id: ").append(id).append("\n    location: ").append(enc).append("/bay").append(id.substring(1))
                    .append("\n    hostname: ").append(id).append(".mgmt\n    address: 198.18.0.").append(++address)
                    .append("\n    model: DL360\n    generation: G10\n    cores: 16\n    memoryGib: 64\n")
                    .append("    bmc: {driver: redfish, endpoint: \"https://127.0.0.1:").append(redfishPort).append("/redfish/v1/Systems/").append(id)
                    .append("\", username: admin, passwordFile: \"").append(bmcPassword).append("\", trustStore: \"").append(trustStore).append("\"}\n")
                    .append("    agent: {endpoint: \"http://127.0.0.1:").append(agentPort).append("\", secretFile: \"").append(secret).append("\"}\n");
        }
        y.append("groups:\n  - id: hot\n    servers: ").append(regulars).append("\n    spares: ").append(spares)
                .append("\n    policy: {protection: hot, eventHandling: auto-failover, heartbeatInterval: ").append(HEARTBEAT.toMillis())
                .append("ms, failureTimeout: ").append(FAILURE_TIMEOUT.toMillis()).append("ms, anticipatedFailures: 1}\nprofiles:\n");
        for (int i = 1; i <= REGULARS; i++) {
            y.append("  - {id: p").append(i).append(", group: hot, home: r").append(i)
                    .append(", identity: {hostname: p").append(i).append(", addresses: [198.18.1.").append(i).append("/24]}")
                    .append(", workload: {name: app").append(i).append("}, requirements: {model: DL360, minCores: 8, minMemoryGib: 32}}\n");
        }
        return y.toString();
    }

    // ---------------------------------------------------------------- trials

    void run(int trials) throws Exception {
        List<Trial> done = new ArrayList<>();
        int attempts = 0;
        int missed = 0;
        long lastJob = 0;
        long started = System.nanoTime();
        System.out.printf(Locale.ROOT, "%-5s %-6s %-4s %-6s %-6s %-7s %10s %10s  %-16s %-9s %11s %9s%n", "trial", "server", "job", "killed",
                "leader", "term", "(a) leader", "ready", "at the kill", "next step", "(b) started", "(b) seen");
        while (done.size() < trials) {
            if (++attempts > trials * 2 + 5) throw new IllegalStateException("too many attempts whose job was not seen in activate: " + missed);
            String server = "r" + ((attempts - 1) % REGULARS + 1);
            String profile = "p" + server.substring(1);
            Node leader = settle(server, profile);
            JsonNode cluster0 = get(leader, "/api/v1/cluster");
            long oldTerm = cluster0.path("term").asLong();

            // Fail the server; wait (bounded) until its failover job is in its activate step, then kill the leader.
            post("http://127.0.0.1:" + agentPort + "/v1/sim/servers/" + server + "/fail?mode=power-loss");
            final long after = lastJob;
            JsonNode job = awaitJson("failover job of " + profile + " in activate", Duration.ofSeconds(30), POLL_MS, leader, "/api/v1/jobs",
                    jobs -> stream(jobs).anyMatch(j -> isJob(j, profile, after) && !j.path("status").asText().equals("running")
                            || isJob(j, profile, after) && List.of("activate", "verify", "release").contains(j.path("currentStep").asText())));
            JsonNode j0 = stream(job).filter(j -> isJob(j, profile, after)).findFirst().orElseThrow();
            long jobId = j0.path("id").asLong();
            lastJob = jobId;
            String atKill = j0.path("currentStep").asText();
            if (!atKill.equals("activate") || !j0.path("status").asText().equals("running")) {
                missed++;
                System.out.printf("(attempt %d: job %d seen at %s, not activate: no kill, server used again later)%n", attempts, jobId, atKill);
                finishTrial(server, jobId, null);
                continue;
            }
            Instant killAt = Instant.now();
            long killNanos = System.nanoTime();
            leader.process.destroyForcibly();
            if (!leader.process.waitFor(20, TimeUnit.SECONDS)) throw new IllegalStateException(leader.id + " survived kill -9");
            List<Node> survivors = nodes.values().stream().filter(n -> n != leader).toList();

            // (a) every survivor polled on its own thread; the first one to name another leader wins.
            List<CompletableFuture<Object[]>> watch = new ArrayList<>();
            for (Node s : survivors) {
                watch.add(CompletableFuture.supplyAsync(() -> pollUntil(Duration.ofSeconds(30), () -> {
                    JsonNode c = get(s, "/api/v1/cluster");
                    if (c == null || !c.hasNonNull("leader") || c.get("leader").asText().equals(leader.id)) return null;
                    return new Object[] {System.nanoTime(), c.get("leader").asText(), c.path("term").asLong()};
                })));
            }
            // (b) the job, read on the survivors in turn, until a step started after the kill.
            Object[] next = pollUntil(Duration.ofSeconds(60), () -> {
                for (Node s : survivors) {
                    JsonNode j = get(s, "/api/v1/jobs/" + jobId);
                    if (j == null) continue;
                    for (JsonNode st : j.path("steps")) {
                        if (!st.hasNonNull("started")) continue;
                        Instant t = Instant.parse(st.get("started").asText());
                        if (t.isAfter(killAt)) return new Object[] {System.nanoTime(), st.path("name").asText(), t};
                    }
                }
                return null;
            });
            Object[] first = null;
            for (CompletableFuture<Object[]> w : watch) {
                Object[] r = w.get(40, TimeUnit.SECONDS);
                if (r != null && (first == null || (long) r[0] < (long) first[0])) first = r;
            }
            if (first == null) throw new IllegalStateException("no new leader within 30 s after killing " + leader.id);
            if (next == null) throw new IllegalStateException("job " + jobId + " started no step within 60 s after the kill");
            double toLeader = ms(killNanos, (long) first[0]);
            double toStep = Duration.between(killAt, (Instant) next[2]).toNanos() / 1e6;
            double seen = ms(killNanos, (long) next[0]);

            JsonNode ended = finishTrial(server, jobId, leader);
            JsonNode decisions = get(nodes.get((String) first[1]), "/api/v1/decisions");
            Files.writeString(work.resolve("trial-" + (done.size() + 1) + ".json"), "{\"killedAt\":\"" + killAt + "\",\"killed\":\"" + leader.id
                    + "\",\"job\":" + ended + ",\"decisions\":" + decisions + "}\n");
            // When the new leader's engine took over: its own decision "leader in term N: resuming jobs" (scheduler time).
            double toReady = Double.NaN;
            if (decisions != null) {
                for (JsonNode d : decisions) {
                    Instant at = Instant.parse(d.path("at").asText());
                    if (d.path("text").asText().startsWith("leader in term") && at.isAfter(killAt)) {
                        toReady = Duration.between(killAt, at).toNanos() / 1e6;
                        break;
                    }
                }
            }
            // The state of the activate step when the leader died: not yet started, or running (the new leader resumes it).
            String state = "?";
            for (JsonNode st : ended.path("steps")) {
                if (!st.path("name").asText().equals("activate")) continue;
                Instant s0 = st.hasNonNull("started") ? Instant.parse(st.get("started").asText()) : null;
                Instant e0 = st.hasNonNull("ended") ? Instant.parse(st.get("ended").asText()) : null;
                if (s0 != null && s0.isAfter(killAt)) state = "pending";
                else if (e0 != null && e0.isAfter(killAt)) state = "running";
                else state = "done";
            }
            // Invariant 5: the leader change by itself failed nothing over.
            long extra = countFailoversAfter(survivors.get(0), killAt);
            Trial t = new Trial(done.size() + 1, server, jobId, leader.id, (String) first[1], oldTerm, (long) first[2], toLeader, toReady,
                    "activate " + state, (String) next[1], toStep, seen, extra);
            done.add(t);
            System.out.printf(Locale.ROOT, "%-5d %-6s %-4d %-6s %-6s %-7s %7.0f ms %7.0f ms  %-16s %-9s %8.0f ms %6.0f ms%s%n", t.n(), t.server(), t.job(),
                    t.killed(), t.newLeader(), t.oldTerm() + "->" + t.newTerm(), t.toLeaderMs(), t.toReadyMs(), t.atKill(), t.nextStep(),
                    t.toNextStepMs(), t.nextStepSeenMs(), extra == 0 ? "" : "  FAILOVERS AFTER THE KILL: " + extra);
        }
        report(done, attempts, missed, (System.nanoTime() - started) / 1e9);
    }

    private static boolean isJob(JsonNode j, String profile, long after) {
        return j.path("type").asText().equals("failover") && j.path("profile").asText().equals(profile) && j.path("id").asLong() > after;
    }

    /**
     * Waits (bounded) for the job to end on the survivors, restarts the killed node (if any) on its data directory
     * until it names the leader again, and repairs the failed server (it boots; its profile falls back later).
     */
    private JsonNode finishTrial(String server, long jobId, Node killed) throws Exception {
        JsonNode job = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            for (Node n : nodes.values()) {
                if (n == killed) continue;
                JsonNode j = get(n, "/api/v1/jobs/" + jobId);
                if (j != null && !j.path("status").asText().equals("running")) {
                    job = j;
                    break;
                }
            }
            if (job != null) break;
            Thread.sleep(100);
        }
        if (job == null) throw new IllegalStateException("job " + jobId + " still running after 90 s");
        if (!job.path("status").asText().equals("succeeded")) throw new IllegalStateException("job " + jobId + " did not succeed: " + job);
        if (killed != null) {
            startNode(killed);
            await(killed.id + " rejoined (names a leader, caught up)", Duration.ofSeconds(60), () -> {
                JsonNode c = get(killed, "/api/v1/cluster");
                JsonNode j = get(killed, "/api/v1/jobs/" + jobId);
                return c != null && c.hasNonNull("leader") && j != null && j.path("status").asText().equals("succeeded");
            });
        }
        post("http://127.0.0.1:" + agentPort + "/v1/sim/servers/" + server + "/repair");
        return job;
    }

    /**
     * Until (bounded) the group is settled: every node up and naming the same leader, no job running, the trial's
     * server running its own profile, a spare free. Profiles away from home whose home runs again are fallen back
     * by hand first ({@code POST /api/v1/profiles/ID/fallback}).
     */
    private Node settle(String server, String profile) throws Exception {
        Node[] leader = new Node[1];
        await("group settled for " + server, Duration.ofSeconds(240), () -> {
            String id = null;
            for (Node n : nodes.values()) {
                JsonNode c = get(n, "/api/v1/cluster");
                if (c == null || !c.hasNonNull("leader")) return false;
                if (id != null && !id.equals(c.get("leader").asText())) return false;
                id = c.get("leader").asText();
            }
            Node l = nodes.get(id);
            JsonNode jobs = get(l, "/api/v1/jobs");
            JsonNode servers = get(l, "/api/v1/servers");
            JsonNode profiles = get(l, "/api/v1/profiles");
            if (jobs == null || servers == null || profiles == null) return false;
            if (stream(jobs).anyMatch(j -> j.path("status").asText().equals("running"))) return false;
            Map<String, String> state = new LinkedHashMap<>();
            for (JsonNode s : servers) state.put(s.path("id").asText(), s.path("state").asText());
            for (JsonNode p : profiles) {
                String home = p.path("home").asText();
                if (!p.path("server").asText().equals(home) && p.path("activeJob").isNull() && "running".equals(state.get(home))) {
                    post(l.url() + "/api/v1/profiles/" + p.path("id").asText() + "/fallback");
                    return false; // look again once it has run
                }
            }
            boolean mine = stream(profiles).anyMatch(p -> p.path("id").asText().equals(profile) && p.path("server").asText().equals(server));
            boolean spare = stream(servers).anyMatch(s -> s.path("role").asText().equals("spare") && s.path("profile").isNull()
                    && s.path("state").asText().equals("running"));
            leader[0] = l;
            return mine && spare && "running".equals(state.get(server));
        });
        return leader[0];
    }

    private long countFailoversAfter(Node n, Instant t) throws Exception {
        JsonNode jobs = get(n, "/api/v1/jobs");
        return jobs == null ? -1 : stream(jobs).filter(j -> j.path("type").asText().equals("failover")
                && Instant.parse(j.path("created").asText()).isAfter(t)).count();
    }

    // ---------------------------------------------------------------- report

    private void report(List<Trial> trials, int attempts, int missed, double seconds) {
        List<Double> a = trials.stream().map(Trial::toLeaderMs).sorted().toList();
        List<Double> b = trials.stream().map(Trial::toNextStepMs).sorted().toList();
        List<Double> seen = trials.stream().map(Trial::nextStepSeenMs).sorted().toList();
        List<Double> ready = trials.stream().map(Trial::toReadyMs).filter(x -> !x.isNaN()).sorted().toList();
        System.out.println();
        System.out.printf(Locale.ROOT, "%d trials (%d attempts, %d without a kill: job first seen past activate), %.0f s of trials%n",
                trials.size(), attempts, missed, seconds);
        System.out.printf(Locale.ROOT, "baseline (configured, for context): Raft election timeout %d-%d ms; failure timeout %d ms "
                        + "(a new leader waits one whole failure timeout before it suspects any server); heartbeat %d ms%n",
                RatisSettings.DEFAULT_ELECTION_TIMEOUT_MIN.toMillis(), RatisSettings.DEFAULT_ELECTION_TIMEOUT_MAX.toMillis(),
                FAILURE_TIMEOUT.toMillis(), HEARTBEAT.toMillis());
        System.out.printf(Locale.ROOT, "(a) kill -9 -> a survivor names a new leader:             median %4.0f ms, p95 %4.0f ms, max %4.0f ms, min %4.0f ms%n",
                median(a), p95(a), a.get(a.size() - 1), a.get(0));
        if (!ready.isEmpty()) {
            System.out.printf(Locale.ROOT, "    kill -9 -> new leader's engine takes over (its decision):   median %4.0f ms, p95 %4.0f ms, max %4.0f ms, min %4.0f ms%n",
                    median(ready), p95(ready), ready.get(ready.size() - 1), ready.get(0));
        }
        System.out.printf(Locale.ROOT, "(b) kill -9 -> new leader starts the job's next step:       median %4.0f ms, p95 %4.0f ms, max %4.0f ms, min %4.0f ms%n",
                median(b), p95(b), b.get(b.size() - 1), b.get(0));
        System.out.printf(Locale.ROOT, "    (b) as observed by polling the job (upper bound):         median %4.0f ms, p95 %4.0f ms, max %4.0f ms%n",
                median(seen), p95(seen), seen.get(seen.size() - 1));
        System.out.printf("activate step at the kill: %s; first step started after the kill: %s; failover jobs created after a kill: %d%n",
                trials.stream().collect(Collectors.groupingBy(Trial::atKill, Collectors.counting())),
                trials.stream().collect(Collectors.groupingBy(Trial::nextStep, Collectors.counting())), trials.stream().mapToLong(Trial::failoversAfterKill).sum());
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank 95th percentile. */
    static double p95(List<Double> sorted) {
        return sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
    }

    private static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    // ---------------------------------------------------------------- plumbing

    interface Check {
        boolean ok() throws Exception;
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    private static void await(String what, Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("not reached within " + limit.toSeconds() + " s: " + what);
    }

    private JsonNode awaitJson(String what, Duration limit, long everyMs, Node n, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            JsonNode r = get(n, path);
            if (r != null) {
                last = r;
                if (done.test(r)) return r;
            }
            Thread.sleep(everyMs);
        }
        throw new IllegalStateException("not reached within " + limit.toSeconds() + " s: " + what + "; last answer " + last);
    }

    /** Polls every {@link #POLL_MS} ms until the probe answers non-null, or null after the limit. */
    private static <T> T pollUntil(Duration limit, Probe<T> probe) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                T t = probe.get();
                if (t != null) return t;
                Thread.sleep(POLL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    /** GET with the admin token; null when the node is down, starting, or answers other than 200. */
    private JsonNode get(Node n, String path) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(n.url() + path)).timeout(Duration.ofSeconds(2))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String adminToken() throws IOException {
        for (JsonNode t : Json.MAPPER.readTree(tokens.toFile())) {
            if (t.path("role").asText().equalsIgnoreCase("admin")) return t.get("token").asText();
        }
        throw new IllegalStateException("no admin token in " + tokens);
    }

    /** Starts {@code java -jar understudy.jar ARGS}, output appended to WORK/NAME.log, and waits (bounded) for its ready line. */
    private Process launch(String name, String ready, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path log = work.resolve(name + ".log");
        long from = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("HOME", Files.createDirectories(work.resolve("home-" + name)).toString());
        Process p = pb.start();
        processes.add(p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            String out = Files.readString(log);
            if (out.length() > from && out.substring((int) from).contains(ready)) return p;
            Thread.sleep(50);
        }
        throw new IllegalStateException(name + " did not start (see " + log + ")");
    }

    @Override
    public synchronized void close() {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        for (Process p : all) if (p.isAlive()) p.destroy();
        for (Process p : all) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** Free ports, each followed by two more free ones (a node's Raft port is HTTP+1, its Redfish event port +2). */
    private static List<Integer> freePorts(int n) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (int attempt = 0; attempt < 200 && out.size() < n; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p + 2 > 65535 || out.contains(p) || out.contains(p + 1) || out.contains(p + 2)) continue;
            try (ServerSocket a = new ServerSocket(p + 1); ServerSocket b = new ServerSocket(p + 2)) {
                out.add(p);
                out.add(p + 1);
                out.add(p + 2);
            } catch (IOException busy) {
                // try another
            }
        }
        if (out.size() < n) throw new IOException("no " + n + " free ports");
        return out.subList(0, n);
    }
}
