package io.understudy.system.netns;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.drivers.peers.IpmiSimPeer;
import io.understudy.drivers.peers.Peers;
import io.understudy.state.Json;
import io.understudy.system.SystemTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A real data center in Linux network namespaces: a control-plane node, servers {@code a} (regular, home of profile
 * {@code web}), {@code s} (regular) and {@code b} (the spare), each running {@code understudy agent}, a client
 * {@code c}, all on one bridge with 198.18.0.0/24 addresses. Each server has an ipmi_sim BMC on the control plane's
 * loopback whose power control is the host itself: power off takes its link down, kills every process in it and
 * drops what lived in RAM (alias addresses). The profile's workload is the project's counter service on the alias.
 * With protection {@code cold} the spare {@code b} waits powered off, its agent started by its BMC's power-on
 * ({@link ColdSpare}). Logs, configuration and the control plane's decisions stay under {@code target/netns-run/NAME}.
 */
final class NetnsDataCenter implements AutoCloseable {
    static final Path JAR = Path.of("..", "cli", "target", "understudy.jar").toAbsolutePath().normalize();
    static final Path PROBE = Path.of("..", "bench", "netns", "probe.py").toAbsolutePath().normalize();
    static final String ALIAS = "198.18.0.50";
    static final int SERVICE_PORT = 8000;
    /** Where a lockstep pair's members talk Raft. */
    static final int PAIR_RAFT_PORT = 9500;

    /** What one failover looked like, from the client's side and from the control plane's. */
    record Trial(JsonNode job, JsonNode probe, long killedAt) {
        double outageMs() {
            return probe.get("outage_ms").asDouble();
        }

        long detectionMs() {
            return Instant.parse(job.get("created").asText()).toEpochMilli() - killedAt;
        }

        /** How long one of the job's steps took, from its start to its end. */
        long stepMs(String name) {
            for (JsonNode st : job.get("steps")) {
                if (st.get("name").asText().equals(name) && st.hasNonNull("ended")) {
                    return Instant.parse(st.get("ended").asText()).toEpochMilli() - Instant.parse(st.get("started").asText()).toEpochMilli();
                }
            }
            return -1;
        }

        /** From the job's creation to the client's first good answer after the gap. */
        long takeoverMs() {
            return Math.round(probe.get("gap_end").asDouble() * 1000) - Instant.parse(job.get("created").asText()).toEpochMilli();
        }
    }

    final Path dir;
    final String protection;
    final Lab lab;
    final List<IpmiSimPeer> bmcs = new ArrayList<>();
    final Map<String, IpmiSimPeer> bmc = new HashMap<>();
    final List<Process> processes = new ArrayList<>();
    final Map<String, Path> hostDirs = new HashMap<>();
    final Map<String, Process> agents = new HashMap<>();
    final String policy;
    final Duration heartbeat;
    String token;

    /** Skips (or in CI fails) without root and the tools; then builds the namespaces and BMCs. */
    static NetnsDataCenter create(String name, String protection, Duration heartbeat, Duration timeout) throws Exception {
        return create(name, protection, heartbeat, timeout, "");
    }

    /** @param policy more group policy fields, as YAML flow entries: {@code "selfFenceTimeout: 2s, fenceWithoutBmc: true"} */
    static NetnsDataCenter create(String name, String protection, Duration heartbeat, Duration timeout, String policy) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            if ("1".equals(System.getenv(Peers.REQUIRE))) throw new AssertionError("network namespace tests need root");
            Assumptions.abort("not root: network namespaces need CAP_NET_ADMIN");
        }
        Peers.require("ip", "arping", "ipmi_sim", "ipmitool", "python3", "curl");
        Path dir = Path.of("target", "netns-run", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return new NetnsDataCenter(dir, protection, heartbeat, timeout, policy);
    }

    private NetnsDataCenter(Path dir, String protection, Duration heartbeat, Duration timeout, String policy) throws Exception {
        this.dir = dir;
        this.protection = protection;
        this.policy = policy;
        this.heartbeat = heartbeat;
        Map<String, Integer> hosts = new LinkedHashMap<>();
        hosts.put("cp", 2);
        hosts.put("a", 11);
        hosts.put("s", 12);
        hosts.put("b", 13);
        hosts.put("c", 100);
        lab = new Lab(hosts);
        try {
            for (String h : List.of("a", "s", "b")) {
                hostDirs.put(h, Files.createDirectories(dir.resolve("host-" + h)));
                bmc.put(h, bmcFor(h));
            }
            Path config = Files.writeString(dir.resolve("dc.yaml"), dataCenter(heartbeat, timeout));
            // A cold spare waits powered off (before the control plane first looks): its BMC's power-on starts its agent.
            boolean cold = protection.equals("cold");
            if (cold) ColdSpare.standBy(this, "b");
            Path cpLog = dir.resolve("cp.log");
            Process cp = lab.start("cp", cpLog, Map.of("HOME", dir.toString()), List.of(java(), "-Xmx384m", "-jar", JAR.toString(),
                    "server", "--config", config.toString(), "--data-dir", dir.resolve("cp-data").toString(), "--bind", lab.address("cp"),
                    "--port", "8080"));
            processes.add(cp);
            SystemTests.awaitLine(cpLog, "understudy server running", cp, Duration.ofSeconds(60));
            token = SystemTests.adminToken(dir.resolve("cp-data").resolve("tokens.json"));
            for (String h : List.of("a", "s", "b")) if (!(cold && h.equals("b"))) startAgent(h);
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    /**
     * The service starts at home (as an operator's service does; understudy takes over when home fails). A preloaded
     * standby runs the workload already, on every address, without the alias. understudy may have brought it up at
     * home already (the state has the profile there and a's agent reported it missing): both steps are idempotent.
     */
    void serviceAtHome() throws Exception {
        lab.exec("a", "ip", "addr", "replace", ALIAS + "/24", "dev", "eth0");
        lab.exec("a", "sh", "-c", env("a") + workloadStart());
        awaitTrue(() -> who().equals("a"), Duration.ofSeconds(30), "the service answers from a");
        // A preloaded standby's workload is started by the control plane (it checks its spares every 5 s); a lockstep
        // twin's member by a re-pair job (the pair watcher looks every 2 s).
        if (protection.equals("preloaded") || lockstep()) awaitTrue(() -> counterRuns("b"), Duration.ofSeconds(30), "the control plane starts b's workload");
        api(n -> SystemTests.stream(n).allMatch(s -> s.get("state").asText().equals(
                protection.equals("cold") && s.get("id").asText().equals("b") ? "off" : "running")), Duration.ofSeconds(30), "/api/v1/servers");
    }

    /** How the regular server {@code a} fails in a trial. */
    enum Failure {
        /** kill -9 of every process on it: agent and workload die, the host and its link stay up. */
        KILL,
        /** its link is cut at the bridge: it may still run, but nobody hears it and it hears nobody. */
        LINK_CUT
    }

    /** Starts the client's probe, kills every process on {@code a} (kill -9), waits for the job and the spare's answer. */
    Trial killRegular() throws Exception {
        return failRegular(Failure.KILL);
    }

    /** Starts the client's probe, fails {@code a}, waits for the job and the spare's answer. */
    Trial failRegular(Failure how) throws Exception {
        Process probe = startProbe();
        long killedAt = System.currentTimeMillis();
        if (how == Failure.KILL) lab.killAll("a");
        else lab.cut("a");
        // A lockstep pair's re-pair jobs aside (they form the pair), the failure's one job.
        JsonNode jobs = api(n -> moves(n).size() == 1 && !moves(n).get(0).get("status").asText().equals("running"), Duration.ofSeconds(60), "/api/v1/jobs");
        return servedByB(probe, moves(jobs).get(0).get("id").asLong(), killedAt);
    }

    /** The jobs that move the profile (newest first): every job but a lockstep pair's re-pair jobs. */
    static List<JsonNode> moves(JsonNode jobs) {
        return SystemTests.stream(jobs).filter(j -> !j.get("type").asText().equals("re-pair")).toList();
    }

    /** Once b answers the client: the probe is let record a few of b's answers, then stopped and summed up with the job. */
    private Trial servedByB(Process probe, long job, long startedAt) throws Exception {
        awaitTrue(() -> who().equals("b"), Duration.ofSeconds(10), "the service answers from b");
        Thread.sleep(300); // more of b's answers in the probe's log; no figure or assertion depends on how long
        return new Trial(job(job), stopProbe(probe), startedAt);
    }

    /**
     * A planned move of the profile off the healthy regular server {@code a} to the spare, with the client probing: the
     * move job and the probe's summary (the gap the client saw).
     */
    Trial moveRegular() throws Exception {
        Process probe = startProbe();
        long askedAt = System.currentTimeMillis();
        JsonNode started = post("/api/v1/profiles/web/move", "{\"toSpare\":true}");
        if (!started.has("job")) throw new AssertionError("move not started: " + started);
        long id = started.get("job").asLong();
        api(n -> !n.get("status").asText().equals("running"), Duration.ofSeconds(90), "/api/v1/jobs/" + id);
        return servedByB(probe, id, askedAt);
    }

    /** The client's probe, once it has had a first answer; the detector is given a moment to settle on its load. */
    Process startProbe() throws Exception {
        Path probeLog = dir.resolve("probe.log");
        Process probe = lab.start("c", probeLog, Map.of(), List.of("python3", PROBE.toString(), "--host", ALIAS,
                "--port", "" + SERVICE_PORT, "--limit-s", "60"));
        processes.add(probe);
        SystemTests.awaitLine(probeLog, "\"server\"", probe, Duration.ofSeconds(60));
        Thread.sleep(500);
        return probe;
    }

    JsonNode stopProbe(Process probe) throws Exception {
        probe.destroy();
        if (!probe.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("the probe did not stop");
        return summary(dir.resolve("probe.log"));
    }

    /** From now on a's BMC accepts power orders and does nothing (the host stays on), as a broken BMC does. */
    void breakBmcOf(String host) throws IOException {
        Files.writeString(bmc.get(host).dir().resolve("stuck"), "");
    }

    /** Open alarms of the control plane. */
    JsonNode alarms() throws Exception {
        return api(n -> true, Duration.ofSeconds(10), "/api/v1/alarms");
    }

    /** The jobs, once they satisfy the condition (bounded: 90 s, a fence's timeout and more). */
    JsonNode jobsWhen(Predicate<JsonNode> done) throws Exception {
        return api(done, Duration.ofSeconds(90), "/api/v1/jobs");
    }

    /** The profiles as the API shows them (a lockstep profile with its {@code pair}). */
    JsonNode profiles() throws Exception {
        return api(n -> true, Duration.ofSeconds(10), "/api/v1/profiles");
    }

    /** One job with its steps and their messages. */
    JsonNode job(long id) throws Exception {
        return api(n -> true, Duration.ofSeconds(10), "/api/v1/jobs/" + id);
    }

    /** Every job the control plane has run. */
    JsonNode jobs() throws Exception {
        return api(n -> true, Duration.ofSeconds(10), "/api/v1/jobs");
    }

    String who() throws IOException {
        if (lockstep()) {
            String line = lab.exec("c", "python3", "-c", STATUS_PY, ALIAS, "" + SERVICE_PORT);
            int at = line.indexOf(" id=");
            return at < 0 ? "" : line.substring(at + 4).strip().split(" ")[0];
        }
        return lab.exec("c", "python3", PROBE.toString(), "--once", "--host", ALIAS, "--port", "" + SERVICE_PORT).strip();
    }

    /** An ipmi_sim on the control plane's loopback whose power control is host {@code h}'s link and processes. */
    private IpmiSimPeer bmcFor(String h) throws IOException {
        Path bmcDir = Files.createDirectories(dir.resolve("bmc-" + h));
        String script = """
                #!/bin/sh
                # ipmi_sim calls: SCRIPT MC get NAME... | SCRIPT MC set NAME VALUE...   (host %1$s)
                D=$(dirname "$0")
                case "$2" in
                  get) shift 2; out=""
                       for n in "$@"; do case $n in power) out="$out power:$(cat "$D/power")";; esac; done
                       echo $out;;
                  set) shift 2
                       while [ $# -gt 1 ]; do
                         if [ "$1" = power ] && [ ! -e "$D/stuck" ]; then
                           if [ "$2" = 0 ]; then
                             # Power off: the link goes dark, every process dies, and what lived in RAM (aliases) is gone.
                             ip -n %2$s link set v%1$s down
                             for p in $(ip netns pids %3$s); do kill -9 $p; done
                             ip -n %3$s addr flush dev eth0
                             ip -n %3$s addr add %4$s/24 dev eth0
                             echo 0 > "$D/power"
                           else
                             ip -n %2$s link set v%1$s up
                             echo 1 > "$D/power"
                             # A host that boots at power-on (a cold spare) starts its agent here.
                             [ -x "$D/boot" ] && "$D/boot"
                           fi
                         fi
                         shift 2
                       done;;
                esac
                """.formatted(h, lab.ns("br"), lab.ns(h), lab.address(h));
        IpmiSimPeer peer = IpmiSimPeer.start(bmcDir, script, lab.in("cp"));
        bmcs.add(peer);
        return peer;
    }

    private String dataCenter(Duration heartbeat, Duration timeout) throws IOException {
        StringBuilder y = new StringBuilder("name: netns\nenclosures:\n  - {id: rack1, bays: 4}\nservers:\n");
        int bay = 1;
        for (String h : List.of("a", "s", "b")) {
            Path secret = Files.writeString(hostDirs.get(h).resolve("agent.secret"), "secret-" + h + "-" + System.nanoTime());
            IpmiSimPeer p = this.bmc.get(h);
            y.append("  - id: ").append(h).append("\n    location: rack1/bay").append(bay++)
                    .append("\n    hostname: ").append(h).append("\n    address: ").append(lab.address(h))
                    .append("\n    model: NS1\n    generation: G1\n    cores: 2\n    memoryGib: 4\n")
                    .append("    bmc: {driver: ipmi, endpoint: \"").append(p.endpoint()).append("\", username: admin, passwordFile: \"")
                    .append(p.passwordFile()).append("\", cipherSuite: 3, retries: 1, timeout: 3s}\n")
                    .append("    agent: {endpoint: \"http://").append(lab.address(h)).append(":7700\", secretFile: \"").append(secret).append("\"}\n");
        }
        // A preloaded group is 1:1 (MX-ONE): a and its standby b; s then serves in a group of its own.
        boolean pair = protection.equals("preloaded") || lockstep();
        y.append("groups:\n  - id: hot\n    servers: [").append(pair ? "a" : "a, s").append("]\n    spares: [b]\n")
                .append("    policy: {protection: ").append(protection).append(", eventHandling: auto-failover, heartbeatInterval: ")
                .append(heartbeat.toMillis()).append("ms, failureTimeout: ").append(timeout.toMillis()).append("ms, verifyTimeout: 20s")
                .append(policy.contains("fenceTimeout") ? "" : ", fenceTimeout: 5s").append(policy.isBlank() ? "" : ", " + policy).append("}\n")
                .append(pair ? "  - id: other\n    servers: [s]\n    spares: []\n    policy: {protection: hot, anticipatedFailures: 0, heartbeatInterval: "
                        + heartbeat.toMillis() + "ms, failureTimeout: " + timeout.toMillis() + "ms}\n" : "")
                .append("profiles:\n  - id: web\n    group: hot\n    home: a\n")
                .append("    identity: {hostname: web, addresses: [").append(ALIAS).append("/24]}\n")
                .append("    workload: {name: counter, start: '").append(workloadStart()).append("', stop: '").append(workloadStop())
                .append("', monitor: '").append(workloadMonitor()).append("'}\n")
                .append("    requirements: {model: NS1, minCores: 1, minMemoryGib: 1}\n")
                // A lockstep pair keeps its state in its members' logs; the control plane reads the pair on pairPort.
                .append(lockstep() ? "    pairPort: " + SERVICE_PORT + "\n    pairArbiter: {address: \"" + lab.address("cp") + ":" + PAIR_RAFT_PORT
                        + "\", memberPort: " + PAIR_RAFT_PORT + "}\n" : "    dataDir: /data\n");
        return y.toString();
    }

    /**
     * The counter service; $LAB_HOST and $LAB_DIR come from the agent's environment (one per host), and
     * $UNDERSTUDY_DATA_DIR from the agent (the profile's dataDir under the host's own root).
     *
     * Idempotent start: a running counter is left alone. Hot binds the alias (it starts after the alias is there);
     * preloaded binds every address, so the standby answers the moment the alias arrives.
     */
    private String workloadStart() {
        if (lockstep()) {
            // A member of the pair: a is the primary, b the twin; the control plane runs the arbiter on its host
            // (the profile's pairArbiter). Its door answers on every address, so the twin answers the moment the alias arrives.
            return "[ -f $LAB_DIR/counter.pid ] && kill -0 $(cat $LAB_DIR/counter.pid) 2>/dev/null && exit 0; "
                    + "setsid " + java() + " -Xmx128m -jar " + JAR + " lockstep-member --pair web --id $LAB_HOST --peers " + pairPeers()
                    + " --data-dir $LAB_DIR/pair --front 0.0.0.0:" + SERVICE_PORT + " >> $LAB_DIR/counter.log 2>&1 < /dev/null & echo $! > $LAB_DIR/counter.pid";
        }
        String bind = protection.equals("preloaded") ? "0.0.0.0" : ALIAS;
        return "[ -f $LAB_DIR/counter.pid ] && kill -0 $(cat $LAB_DIR/counter.pid) 2>/dev/null && exit 0; "
                + "mkdir -p $UNDERSTUDY_DATA_DIR; setsid " + java() + " -Xmx64m -cp " + JAR + " io.understudy.agent.workload.CounterService $LAB_HOST "
                + bind + " " + SERVICE_PORT + " $UNDERSTUDY_DATA_DIR >> $LAB_DIR/counter.log 2>&1 < /dev/null & echo $! > $LAB_DIR/counter.pid";
    }

    boolean lockstep() {
        return protection.equals("lockstep");
    }

    /** The pair's Raft group: a (primary), b (twin) and the arbiter on the control plane's host. */
    String pairPeers() {
        return "a=primary@" + lab.address("a") + ":" + PAIR_RAFT_PORT + ",b=twin@" + lab.address("b") + ":" + PAIR_RAFT_PORT
                + ",arbiter=arbiter@" + lab.address("cp") + ":" + PAIR_RAFT_PORT;
    }

    /**
     * The lockstep lab's client ({@link LockstepLoad}) in the client's namespace: {@code connections} connections to
     * the alias; stopped by {@link #stopLoad}.
     */
    Process startLoad(int connections) throws Exception {
        Path log = dir.resolve("load.log");
        String cp = Path.of("target", "test-classes").toAbsolutePath() + java.io.File.pathSeparator + JAR;
        Files.deleteIfExists(dir.resolve("stop"));
        Process p = lab.start("c", log, Map.of(), List.of(java(), "-Xmx256m", "-cp", cp, LockstepLoad.class.getName(), ALIAS,
                "" + SERVICE_PORT, "" + connections, dir.toString()));
        processes.add(p);
        SystemTests.awaitLine(log, "\"started\"", p, Duration.ofSeconds(60));
        return p;
    }

    /** How many inputs the load has had acknowledged so far. */
    long loadAcked() throws IOException {
        Path f = dir.resolve("load-progress");
        if (!Files.exists(f)) return 0;
        String s = Files.readString(f).strip();
        return s.isEmpty() ? 0 : Long.parseLong(s);
    }

    /** Stops the load and returns its summary (it reads every key back first). */
    JsonNode stopLoad(Process load) throws Exception {
        Files.writeString(dir.resolve("stop"), "");
        if (!load.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("the load did not stop: " + Files.readString(dir.resolve("load.log")));
        return Json.MAPPER.readTree(Files.readString(dir.resolve("load-summary.json")));
    }

    /** The state of profile web's pair as the API shows it (paired, syncing, degraded), or "". */
    String pairState() throws Exception {
        for (JsonNode p : profiles()) if (p.get("id").asText().equals("web")) return p.path("pair").path("state").asText();
        return "";
    }

    void awaitPair(String state) throws Exception {
        awaitTrue("the pair is " + state, Duration.ofSeconds(90), () -> pairState().equals(state));
    }

    /** Waits (bounded) until the load has had {@code more} inputs acknowledged beyond what it had now. */
    void awaitAcknowledged(long more) throws Exception {
        long target = loadAcked() + more;
        awaitTrue(more + " more acknowledged inputs (at " + loadAcked() + ")", Duration.ofSeconds(120), () -> loadAcked() >= target);
    }

    /** A member's own status line, asked at host {@code h}'s address: "ok seq=… digest=… …". */
    String memberStatus(String h) throws IOException {
        return lab.exec("c", "python3", "-c", STATUS_PY, lab.address(h), "" + SERVICE_PORT).strip();
    }

    private static final String STATUS_PY = "import socket,sys\n"
            + "s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=2)\n"
            + "s.sendall(b'status\\n'); print(s.makefile().readline().strip())\n";

    private String workloadStop() {
        return "[ -f $LAB_DIR/counter.pid ] && kill $(cat $LAB_DIR/counter.pid) 2>/dev/null; rm -f $LAB_DIR/counter.pid; exit 0";
    }

    /**
     * OCF: 0 running, 7 not running — this host's own counter process, not whoever answers on the alias (a preloaded
     * standby's workload runs without the alias, and the alias may be answered by another host).
     */
    private String workloadMonitor() {
        return "[ -f $LAB_DIR/counter.pid ] && kill -0 $(cat $LAB_DIR/counter.pid) 2>/dev/null && exit 0; exit 7";
    }

    /**
     * Starts (or starts again, after a power cycle) the agent of host {@code h}. Each host keeps its data under its own
     * directory (the agent's data root), since the namespaces share one filesystem.
     */
    void startAgent(String h) throws Exception {
        Path hostDir = hostDirs.get(h);
        Path agentYaml = agentYaml(h);
        Path log = hostDir.resolve("agent.log");
        Files.deleteIfExists(log);
        Process p = lab.start(h, log, agentEnv(h), agentCommand(agentYaml));
        processes.add(p);
        agents.put(h, p);
        SystemTests.awaitLine(log, "understudy agent running", p, Duration.ofSeconds(60));
    }

    /** The environment of host {@code h}'s agent (its workload commands read $LAB_HOST and $LAB_DIR). */
    Map<String, String> agentEnv(String h) {
        Path hostDir = hostDirs.get(h);
        return Map.of("LAB_HOST", h, "LAB_DIR", hostDir.toString(), "HOME", hostDir.toString());
    }

    static List<String> agentCommand(Path agentYaml) {
        return List.of(java(), "-Xmx96m", "-jar", JAR.toString(), "agent", "--config", agentYaml.toString());
    }

    /** Writes host {@code h}'s agent configuration. */
    Path agentYaml(String h) throws IOException {
        Path hostDir = hostDirs.get(h);
        return Files.writeString(hostDir.resolve("agent.yaml"), """
                server: %s
                listen: %s:7700
                controlPlane: [http://%s:8080]
                secretFile: %s
                heartbeatInterval: %dms
                host: {interfaceName: eth0}
                data: {backupDir: %s, root: %s}
                """.formatted(h, lab.address(h), lab.address("cp"), hostDir.resolve("agent.secret"), heartbeat.toMillis(),
                hostDir.resolve("backups"), hostDir));
    }

    /** kill -9 of host {@code h}'s agent alone: its workload and aliases stay, as after an agent crash. */
    void killAgent(String h) throws Exception {
        Process p = agents.get(h);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("the agent of " + h + " did not die");
    }

    /**
     * The operator repairs host {@code h} after a fence: power on through its BMC (the link comes back), then its
     * agent starts at boot.
     */
    void repair(String h) throws Exception {
        IpmiSimPeer p = bmc.get(h);
        lab.exec("cp", "ipmitool", "-I", "lanplus", "-C", "3", "-H", p.endpoint().replaceAll(":.*", ""), "-p", "" + p.port(),
                "-U", IpmiSimPeer.USER, "-f", p.passwordFile().toString(), "chassis", "power", "on");
        startAgent(h);
    }

    /** The count the service keeps, as the client reads it (without counting): "NAME COUNT". */
    String peek() throws IOException {
        return peek(ALIAS);
    }

    /** The count a counter keeps, read at {@code address} (a preloaded standby answers on its own address too). */
    String peek(String address) throws IOException {
        return lab.exec("c", "curl", "-sf", "-m", "2", "http://" + address + ":" + SERVICE_PORT + "/peek").strip();
    }

    /** One counted request from the client. */
    String hit() throws IOException {
        return lab.exec("c", "curl", "-sf", "-m", "2", "http://" + ALIAS + ":" + SERVICE_PORT + "/").strip();
    }

    /** POST to the control plane's API as the admin; the answer's body. */
    JsonNode post(String path, String json) throws IOException {
        return Json.MAPPER.readTree(lab.exec("cp", "curl", "-s", "-m", "30", "-X", "POST", "-H", "Authorization: Bearer " + token,
                "-H", "Content-Type: application/json", "-d", json, "http://" + lab.address("cp") + ":8080" + path));
    }

    JsonNode post(String path) throws IOException {
        return Json.MAPPER.readTree(lab.exec("cp", "curl", "-s", "-m", "30", "-X", "POST", "-H", "Authorization: Bearer " + token,
                "http://" + lab.address("cp") + ":8080" + path));
    }

    /** The servers that answered the client, in the order they took over (a repeat means two hosts took turns). */
    List<String> answeredInTurn() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("probe.log"))) {
            if (line.contains("\"event\":\"server\"")) out.add(Json.MAPPER.readTree(line).get("server").asText());
        }
        return out;
    }

    /** Whether host {@code h}'s counter process runs. */
    boolean counterRuns(String h) throws IOException {
        Path pid = hostDirs.get(h).resolve("counter.pid");
        if (!Files.exists(pid)) return false;
        return ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The servers as the control plane sees them, once they satisfy the condition. */
    JsonNode serversWhen(Predicate<JsonNode> done) throws Exception {
        return api(done, Duration.ofSeconds(60), "/api/v1/servers");
    }

    void awaitTrue(String what, Duration limit, Check check) throws Exception {
        awaitTrue(check, limit, what);
    }

    private JsonNode api(Predicate<JsonNode> done, Duration limit, String path) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = Json.MAPPER.readTree(lab.exec("cp", "curl", "-sf", "-m", "2", "-H", "Authorization: Bearer " + token,
                        "http://" + lab.address("cp") + ":8080" + path));
                if (done.test(last)) return last;
            } catch (IOException notYet) {
                // the node is starting or busy; ask again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached within " + limit + " on " + path + "; last answer: " + last);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) return;
            } catch (IOException notYet) {
                // try again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + limit + ": " + what);
    }


    private static JsonNode summary(Path probeLog) throws IOException {
        for (String line : Files.readAllLines(probeLog)) {
            if (line.contains("\"summary\"")) return Json.MAPPER.readTree(line);
        }
        throw new AssertionError("no summary from the probe:\n" + Files.readString(probeLog));
    }



    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }


    /** The environment an agent gives its workload commands, for commands run by hand on host {@code h}. */
    private String env(String h) {
        return "LAB_HOST=" + h + " LAB_DIR=" + hostDirs.get(h) + " UNDERSTUDY_DATA_DIR=" + hostDirs.get(h).resolve("data")
                + "; export LAB_HOST LAB_DIR UNDERSTUDY_DATA_DIR; ";
    }

    @Override
    public void close() {
        if (token != null) {
            for (String what : List.of("decisions", "jobs", "alarms")) {
                try {
                    Files.writeString(dir.resolve(what + ".json"), lab.exec("cp", "curl", "-sf", "-m", "2", "-H",
                            "Authorization: Bearer " + token, "http://" + lab.address("cp") + ":8080/api/v1/" + what));
                } catch (IOException e) {
                    // the node is gone
                }
            }
        }
        for (Process p : processes) p.destroyForcibly();
        for (IpmiSimPeer b : bmcs) b.close();
        lab.close();
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
