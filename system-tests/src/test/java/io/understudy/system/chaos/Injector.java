package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.system.SystemTests;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies one fault of a schedule, and undoes it, through the same doors an operator or the hardware would use:
 * sim-dc's fault injection and links, the API, kill -9 and a fresh start of a node, iptables. Each application is
 * written into the history with what came of it.
 */
final class Injector {
    private final ControlPlane plane;
    private final ApiClient api;
    private final RaftPartition raft;
    private final History.Recorder history;
    /** For a leader kill: the node it turned out to be, to start it again. */
    private final Map<Fault, String> resolved = new java.util.concurrent.ConcurrentHashMap<>();
    /** Nodes being started again after a kill, each on its own thread. */
    private final List<Thread> restarting = new ArrayList<>();

    Injector(ControlPlane plane, ApiClient api, RaftPartition raft, History.Recorder history) {
        this.plane = plane;
        this.api = api;
        this.raft = raft;
        this.history = history;
    }

    /** Applies the fault; answers whether it took effect (a refused operator request still counts as tried). */
    boolean apply(Fault f) throws Exception {
        String outcome = switch (f.kind()) {
            case CRASH, HANG, POWER_LOSS, BMC_DOWN, STUCK_POWER, HW_EVENT, ISOLATED ->
                    answer(api.post(ApiClient.SIM_DC, "/v1/sim/servers/" + f.target() + "/fail?mode=" + f.kind().mode(), null));
            case REPAIR -> answer(api.post(ApiClient.SIM_DC, "/v1/sim/servers/" + f.target() + "/repair", null));
            case OPERATOR_FAILOVER -> answer(api.post(anyNode(), "/api/v1/failover", "{\"server\":\"" + f.target() + "\"}"));
            case OPERATOR_FALLBACK -> answer(api.post(anyNode(), "/api/v1/profiles/" + f.target() + "/fallback", null));
            case LOCK -> lock(f.target());
            case MAINTENANCE -> answer(api.post(anyNode(), "/api/v1/groups/" + f.target() + "/maintenance", "{\"on\":true}"));
            case NODE_KILL, NODE_WIPE -> kill(f, f.target());
            case LEADER_KILL -> kill(f, leader());
            case LEADER_KILL_AT_STEP -> {
                String at = awaitStep(f.target());
                String killed = kill(f, leader());
                System.out.println("    " + f + ": " + killed + " (" + at + ")");
                yield killed + " (" + at + ")";
            }
            case OPERATOR_MOVE -> answer(api.post(anyNode(), "/api/v1/profiles/" + f.target() + "/move", "{\"toSpare\":true}"));
            case DRAIN -> answer(api.post(anyNode(), "/api/v1/drain", "{\"servers\":[\"" + f.target() + "\"],\"force\":true}"));
            case AGENT_PARTITION -> answer(api.post(ApiClient.SIM_DC, linkPath(f.target(), true), null));
            case RAFT_PARTITION -> {
                raft.block(plane.raftPort(f.target()));
                yield "ok: raft port " + plane.raftPort(f.target()) + " of " + f.target() + " blocked";
            }
        };
        history.add(new Injection(Instant.now(), f, false, outcome));
        return outcome.startsWith("ok");
    }

    /**
     * Undoes a fault that lasts a while (see {@link Fault#lastsMs}). A node is started again on a thread of its own:
     * a JVM takes seconds to start, and the schedule's later faults must come on time meanwhile.
     */
    void undo(Fault f) throws Exception {
        if (f.kind().killsNode()) {
            Thread t = new Thread(() -> {
                String outcome;
                try {
                    outcome = restart(resolved.get(f), f.kind() != FaultKind.NODE_WIPE);
                } catch (Exception e) {
                    outcome = "failed: " + e;
                }
                history.add(new Injection(Instant.now(), f, true, outcome));
            }, "restart-" + f.target());
            t.start();
            synchronized (restarting) {
                restarting.add(t);
            }
            return;
        }
        String outcome = switch (f.kind()) {
            case LOCK -> answer(api.post(anyNode(), "/api/v1/profiles/" + f.target() + "/unlock", null));
            case MAINTENANCE -> answer(api.post(anyNode(), "/api/v1/groups/" + f.target() + "/maintenance", "{\"on\":false}"));
            case DRAIN -> answer(api.post(anyNode(), "/api/v1/undrain", "{\"servers\":[\"" + f.target() + "\"]}"));
            case AGENT_PARTITION -> answer(api.post(ApiClient.SIM_DC, linkPath(f.target(), false), null));
            case RAFT_PARTITION -> {
                raft.heal(plane.raftPort(f.target()));
                yield "ok: raft port of " + f.target() + " open";
            }
            default -> "nothing to undo";
        };
        history.add(new Injection(Instant.now(), f, true, outcome));
    }

    /** Waits (bounded) for the nodes being started again by {@link #undo}. */
    void awaitRestarts() throws InterruptedException {
        List<Thread> all;
        synchronized (restarting) {
            all = List.copyOf(restarting);
            restarting.clear();
        }
        long deadline = System.nanoTime() + SystemTests.patience(Duration.ofSeconds(120)).toNanos();
        for (Thread t : all) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }

    /** Starts a node that is down again (with its data, unless {@code keepData} is false); null: nothing was killed. */
    String restart(String node, boolean keepData) throws Exception {
        if (node == null || plane.isRunning(node)) return "ok: nothing to start";
        try {
            plane.start(node, keepData);
            return "ok: " + node + " started " + (keepData ? "with its data" : "from an empty data directory");
        } catch (AssertionError | java.io.IOException e) {
            return "failed: " + node + " did not start: " + firstLine(e.getMessage());
        }
    }

    /** The longest a leader kill waits for a job to reach its step (the faults after it wait as long). */
    static final Duration AT_STEP_WAIT = Duration.ofSeconds(3);

    /** Waits (bounded) until a running job shows {@code step}; says which job, or that none did. */
    private String awaitStep(String step) throws InterruptedException {
        long deadline = System.nanoTime() + AT_STEP_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ApiClient.Answer jobs = api.get(anyNode(), "/api/v1/jobs");
            if (jobs.json() != null) {
                for (JsonNode j : jobs.json()) {
                    if (j.path("status").asText().equals("running") && step.equals(j.path("currentStep").asText(null))) {
                        return "job " + j.path("id").asLong() + " at " + step;
                    }
                }
            }
            Thread.sleep(20);
        }
        return "no job reached " + step + " within " + AT_STEP_WAIT.toSeconds() + " s";
    }

    /** A running node to send an operator's request to (any member forwards to the leader). */
    String anyNode() {
        var up = plane.runningNodes();
        return up.isEmpty() ? ControlPlane.NODES.get(0) : up.get((int) (System.nanoTime() % up.size()));
    }

    /** The leader as a running node says it; null when none knows one. */
    String leader() {
        for (String n : plane.runningNodes()) {
            ApiClient.Answer a = api.get(n, "/api/v1/cluster");
            if (a.json() != null && a.json().hasNonNull("leader")) return a.json().get("leader").asText();
        }
        return null;
    }

    private String lock(String profile) {
        ApiClient.Answer profiles = api.get(anyNode(), "/api/v1/profiles");
        String server = null;
        if (profiles.json() != null) {
            for (JsonNode p : profiles.json()) if (p.path("id").asText().equals(profile)) server = p.path("server").asText(null);
        }
        if (server == null) return "skipped: " + profile + "'s server not known";
        return answer(api.post(anyNode(), "/api/v1/profiles/" + profile + "/lock", "{\"server\":\"" + server + "\"}"));
    }

    private String kill(Fault f, String node) throws InterruptedException {
        if (node == null) return "skipped: no leader known";
        if (!plane.isRunning(node)) return "skipped: " + node + " is down already";
        if (plane.runningNodes().size() < ControlPlane.NODES.size()) return "skipped: another node is down (keep a majority)";
        resolved.put(f, node);
        plane.kill(node);
        return "ok: " + node + " killed";
    }

    /** sim-dc's links endpoint for the agents' link to one node. */
    String linkPath(String node, boolean cut) {
        return "/v1/sim/links?node=" + URLEncoder.encode(plane.url(node), StandardCharsets.UTF_8) + "&cut=" + cut;
    }

    private static String answer(ApiClient.Answer a) {
        return (a.ok() ? "ok: " : "refused: ") + a.status() + " " + firstLine(a.body());
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String line = s.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
