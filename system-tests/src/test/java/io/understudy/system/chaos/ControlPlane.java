package io.understudy.system.chaos;

import io.understudy.system.SystemTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The processes a campaign runs against: three {@code understudy server} nodes in one Raft group and the simulated
 * data center ({@code understudy sim-dc}) in a fourth, with fast hardware (a repaired server boots in seconds, not
 * minutes, so a trial's liveness wait is short). Nodes are killed with kill -9 and started again, with their
 * data directory or from an empty one. The nodes' launcher may be an older build (see {@link #serverLauncher()});
 * sim-dc always comes from this build, since the checker reads its hardware log.
 */
final class ControlPlane implements AutoCloseable {
    /** An older build's launcher for the server nodes (e.g. another checkout's {@code understudy} script). */
    static final String LAUNCHER_ENV = "UNDERSTUDY_CHAOS_SERVER_LAUNCHER";
    static final List<String> NODES = List.of("n1", "n2", "n3");

    final double speed;
    private final Path dir;
    private final Path logs;
    private final Map<String, Integer> httpPort = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, Integer> incarnation = new LinkedHashMap<>();
    private final String peers;
    private final Path config;
    private final Path tokens;
    final int agentPort;
    private Process simDc;
    private String token;
    /** Stops every process if the JVM stops first (an interrupted run leaves no server behind). */
    private final Thread hook = new Thread(this::destroyAll, "control-plane-stop");

    ControlPlane(Path dir, Path logs, double speed) throws IOException, InterruptedException {
        this.dir = Files.createDirectories(dir);
        this.logs = Files.createDirectories(logs);
        this.speed = speed;
        Runtime.getRuntime().addShutdownHook(hook);
        List<Integer> ports = SystemTests.freePortTriples(3 * 3 + 2);
        for (int i = 0; i < 3; i++) httpPort.put(NODES.get(i), ports.get(3 * i));
        agentPort = ports.get(9);
        int redfishPort = ports.get(10);
        peers = IntStream.range(0, 3).mapToObj(i -> NODES.get(i) + "=127.0.0.1:" + raftPort(NODES.get(i))).collect(Collectors.joining(","));
        Path bmcPassword = Files.writeString(dir.resolve("bmc.pw"), "bmc-" + System.nanoTime());
        Path tls = dir.resolve("tls");
        config = ChaosDataCenter.write(dir, agentPort, redfishPort, tls.resolve("bmc.pem"), bmcPassword);
        tokens = dir.resolve("tokens.json");
        String nodeUrls = NODES.stream().map(this::url).collect(Collectors.joining(","));
        simDc = launch("sim-dc", List.of(java(), "-Xmx256m", "-jar", cliJar().toString()), "understudy sim-dc running", "sim-dc",
                "--config", config.toString(), "--nodes", nodeUrls, "--agent-port", String.valueOf(agentPort),
                "--redfish-port", String.valueOf(redfishPort), "--tls-dir", tls.toString(), "--bmc-password-file", bmcPassword.toString(),
                "--speed", String.valueOf(speed), "--timings", "fast");
    }

    /** Starts the three nodes together (a group needs a majority to start) and reads the admin token. */
    void startAll() throws Exception {
        SystemTests.inParallel(NODES, Duration.ofSeconds(120), id -> start(id, true));
        token = SystemTests.adminToken(tokens);
    }

    /** Starts one node; {@code keepData} false starts it from an empty data directory (it must rejoin from its peers). */
    void start(String id, boolean keepData) throws IOException, InterruptedException {
        Path data = dir.resolve("data-" + id);
        if (!keepData) deleteTree(data);
        Process p = launch(id, serverLauncher(), "understudy server running", "server", "--node-id", id, "--peers", peers,
                "--config", config.toString(), "--data-dir", data.toString(), "--port", String.valueOf(httpPort.get(id)),
                "--tokens", tokens.toString(), "--speed", String.valueOf(speed));
        synchronized (running) {
            running.put(id, p);
        }
    }

    /** kill -9: no shutdown hook, no flush. */
    void kill(String id) throws InterruptedException {
        Process p;
        synchronized (running) {
            p = running.remove(id);
        }
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    boolean isRunning(String id) {
        synchronized (running) {
            Process p = running.get(id);
            return p != null && p.isAlive();
        }
    }

    List<String> runningNodes() {
        return NODES.stream().filter(this::isRunning).toList();
    }

    List<String> stoppedNodes() {
        return NODES.stream().filter(n -> !isRunning(n)).toList();
    }

    /** How many times the node has been started. */
    int incarnation(String node) {
        synchronized (incarnation) {
            return incarnation.getOrDefault(node, 0);
        }
    }

    String url(String node) {
        return "http://127.0.0.1:" + httpPort.get(node);
    }

    int raftPort(String node) {
        return httpPort.get(node) + 1;
    }

    String agentUrl() {
        return "http://127.0.0.1:" + agentPort;
    }

    String token() {
        return token;
    }

    boolean simDcAlive() {
        return simDc != null && simDc.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>();
        synchronized (running) {
            all.addAll(running.values());
            running.clear();
        }
        if (simDc != null) all.add(simDc);
        for (Process p : all) p.destroy();
        for (Process p : all) if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void destroyAll() {
        synchronized (running) {
            running.values().forEach(Process::destroyForcibly);
        }
        if (simDc != null) simDc.destroyForcibly();
    }

    /**
     * The command that starts a server node: {@value #LAUNCHER_ENV} (environment or the system property
     * {@code understudy.chaos.serverLauncher}) when set, otherwise this build's jar.
     */
    static List<String> serverLauncher() {
        String l = System.getProperty("understudy.chaos.serverLauncher", System.getenv(LAUNCHER_ENV));
        if (l != null && !l.isBlank()) return List.of(l.strip());
        return List.of(java(), "-Xmx256m", "-jar", cliJar().toString());
    }

    private static Path cliJar() {
        Path jar = Path.of("..", "cli", "target", "understudy.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) throw new IllegalStateException("build the cli module first: " + jar + " is missing");
        return jar;
    }

    /** Starts a process whose output goes to its own log per start (NAME.N.log), and waits (bounded) for its ready line. */
    private Process launch(String name, List<String> launcher, String ready, String... args) throws IOException, InterruptedException {
        int n;
        synchronized (incarnation) {
            n = incarnation.merge(name, 1, Integer::sum);
        }
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(args));
        Path log = logs.resolve(name + "." + n + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HOME", Files.createDirectories(dir.resolve("home-" + name)).toString());
        Process p = pb.start();
        try {
            SystemTests.awaitLine(log, ready, p, Duration.ofSeconds(90));
        } catch (AssertionError | IOException e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Deletes a directory and everything in it (nothing when it is missing). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
