package io.understudy.system.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.state.Json;
import io.understudy.system.SystemTests;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * One trial: a schedule's faults applied while the system works and an observer writes down what the API and the
 * hardware show; then everything healed and repaired, and the system given a bounded time to run every profile
 * again with no job left running (liveness); then the history checked.
 */
final class Trial {
    /** How long a healed system may take to run every profile again, on an idle machine (scaled by load). */
    static final Duration LIVENESS = Duration.ofSeconds(40);

    /** What a trial came to. {@code wedged}: the processes should be started afresh before the next trial. */
    record Result(History history, List<Violation> violations, Map<FaultKind, Integer> applied, boolean wedged, String phases) {
        boolean failed() {
            return !violations.isEmpty();
        }
    }

    private final ControlPlane plane;
    private final RaftPartition raft;
    private final HardwareHistory hardware;
    private final ApiClient api;
    private final History.Recorder recorder;
    private final Injector injector;

    Trial(ControlPlane plane, RaftPartition raft, History.Recorder recorder, ApiClient api, HardwareHistory hardware) {
        this.plane = plane;
        this.raft = raft;
        this.recorder = recorder;
        this.api = api;
        this.hardware = hardware;
        this.injector = new Injector(plane, api, raft, recorder);
    }

    Result run(Schedule schedule) throws Exception {
        long firstJob = newestJob() + 1;
        hardware.readNew(api);
        long firstSeq = hardware.all().isEmpty() ? 0 : hardware.all().get(hardware.all().size() - 1).seq() + 1;
        Map<FaultKind, Integer> applied = new EnumMap<>(FaultKind.class);
        List<Violation> violations = new ArrayList<>();
        boolean wedged = false;
        long t0 = System.nanoTime();
        long played;
        long live;
        try (Observer observer = new Observer(plane, api, firstJob)) {
            play(schedule, applied);
            heal();
            played = System.nanoTime();
            String notLive = awaitLiveness();
            live = System.nanoTime();
            if (notLive != null) {
                violations.add(new Violation("liveness", "after every fault was healed and every server repaired, within "
                        + SystemTests.patience(LIVENESS) + ": " + notLive));
                wedged = true;
            }
            for (String n : plane.runningNodes()) observer.jobs(n, true);
            observer.look();
        }
        wedged |= !plane.simDcAlive() || plane.runningNodes().size() < ControlPlane.NODES.size();
        History h = recorder.finish(schedule, firstJob, hardware.readNew(api));
        for (Injection i : h.injections()) {
            // A node killed (with or without its data) must come back: a group that cannot take a member back loses it.
            if (i.undo() && i.outcome().startsWith("failed")) violations.add(new Violation("restart", i.fault() + ": " + i.outcome()));
        }
        violations.addAll(HardwareInvariants.check(h, hardware.all(), firstSeq));
        violations.addAll(HistoryChecker.check(h));
        long checked = System.nanoTime();
        if (!wedged) wedged = !sendHome();
        long home = System.nanoTime();
        String phases = "faults " + ms(played - t0) + ", live " + ms(live - played) + ", checked " + ms(checked - live) + ", home " + ms(home - checked);
        return new Result(h, violations, applied, wedged, phases);
    }

    /** Applies every fault at its time and undoes the lasting ones at theirs; returns once the last is undone. */
    private void play(Schedule schedule, Map<FaultKind, Integer> applied) throws Exception {
        record Action(long atMs, Fault fault, boolean undo) {}
        PriorityQueue<Action> agenda = new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
        for (Fault f : schedule.faults()) agenda.add(new Action(f.atMs(), f, false));
        long start = System.nanoTime();
        while (!agenda.isEmpty()) {
            Action a = agenda.poll();
            long wait = a.atMs() - (System.nanoTime() - start) / 1_000_000;
            if (wait > 0) Thread.sleep(wait);
            if (a.undo()) {
                injector.undo(a.fault());
            } else if (injector.apply(a.fault())) {
                applied.merge(a.fault().kind(), 1, Integer::sum);
                if (a.fault().lastsMs() > 0) agenda.add(new Action(a.atMs() + a.fault().lastsMs(), a.fault(), true));
            }
        }
        // Let the last faults be noticed before everything is healed.
        Thread.sleep(Math.max(0, Schedule.SPAN_MS - (System.nanoTime() - start) / 1_000_000) + 3_000);
    }

    /** Every partition healed, every node running, every server repaired, no lock, no maintenance, nothing drained. */
    private void heal() throws Exception {
        injector.awaitRestarts();
        raft.healAll();
        for (String n : ControlPlane.NODES) {
            api.post(ApiClient.SIM_DC, injector.linkPath(n, false), null);
        }
        for (String n : plane.stoppedNodes()) {
            recorder.add(new Injection(Instant.now(), new Fault(0, FaultKind.NODE_KILL, n, 0), true, injector.restart(n, true)));
        }
        for (String s : ChaosDataCenter.serverIds()) api.post(ApiClient.SIM_DC, "/v1/sim/servers/" + s + "/repair", null);
        for (String p : ChaosDataCenter.profiles()) api.post(injector.anyNode(), "/api/v1/profiles/" + p + "/unlock", null);
        for (String g : ChaosDataCenter.GROUPS) api.post(injector.anyNode(), "/api/v1/groups/" + g + "/maintenance", "{\"on\":false}");
        api.post(injector.anyNode(), "/api/v1/undrain", "{\"servers\":[" + ChaosDataCenter.serverIds().stream()
                .map(x -> "\"" + x + "\"").collect(java.util.stream.Collectors.joining(",")) + "]}");
    }

    /**
     * Waits (bounded) until the hardware runs every profile on exactly one server with its workload up and no node
     * shows a running job; null when reached, else what was still wrong.
     */
    private String awaitLiveness() throws InterruptedException {
        long deadline = System.nanoTime() + SystemTests.patience(LIVENESS).toNanos();
        String wrong = "not looked";
        while (System.nanoTime() < deadline) {
            wrong = notLive(false);
            if (wrong == null) return null;
            Thread.sleep(500);
        }
        return wrong;
    }

    /** What keeps the system from being live now ({@code home}: every profile on its home server too), or null. */
    private String notLive(boolean home) {
        ApiClient.Answer sim = api.get(ApiClient.SIM_DC, "/v1/sim/servers");
        if (sim.json() == null) return "sim-dc does not answer: " + sim.body();
        Map<String, List<String>> holders = HardwareInvariants.holders(sim.json());
        List<String> wrong = new ArrayList<>();
        for (String p : ChaosDataCenter.profiles()) {
            List<String> on = holders.getOrDefault(p, List.of());
            if (on.size() != 1) {
                wrong.add(p + " held by " + on);
                continue;
            }
            for (JsonNode s : sim.json()) {
                if (s.path("id").asText().equals(on.get(0)) && !s.path("workloadRunning").asBoolean()) wrong.add(p + "'s workload down on " + on.get(0));
            }
            if (home && !on.get(0).equals(ChaosDataCenter.HOMES.get(p))) wrong.add(p + " not at home (on " + on.get(0) + ")");
        }
        for (String n : plane.runningNodes()) {
            ApiClient.Answer jobs = api.get(n, "/api/v1/jobs");
            if (jobs.json() == null) {
                wrong.add(n + " does not answer");
                continue;
            }
            for (JsonNode j : jobs.json()) {
                if (j.path("status").asText().equals("running")) wrong.add("job " + j.path("id").asLong() + " running on " + n + " at " + j.path("currentStep").asText());
            }
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    /**
     * Sends every profile home for the next trial (an operator's fallback of each profile away from it, asked again
     * while home is not yet ready to take it), so spares are free again; false when that did not come to pass in
     * bounded time.
     */
    private boolean sendHome() throws InterruptedException {
        long deadline = System.nanoTime() + SystemTests.patience(LIVENESS).toNanos();
        while (System.nanoTime() < deadline) {
            if (notLive(true) == null) return true;
            ApiClient.Answer profiles = api.get(injector.anyNode(), "/api/v1/profiles");
            if (profiles.json() != null) {
                for (JsonNode p : profiles.json()) {
                    if (!p.path("server").asText().equals(p.path("home").asText()) && p.path("activeJob").isNull()) {
                        api.post(injector.anyNode(), "/api/v1/profiles/" + p.path("id").asText() + "/fallback", null);
                    }
                }
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    private static String ms(long nanos) {
        return nanos / 1_000_000 + " ms";
    }

    private long newestJob() {
        long max = 0;
        for (String n : plane.runningNodes()) {
            ApiClient.Answer a = api.get(n, "/api/v1/jobs");
            if (a.json() != null) for (JsonNode j : a.json()) max = Math.max(max, j.path("id").asLong());
        }
        return max;
    }

    /** The JSON in a body, or null. */
    static JsonNode json(String body) {
        try {
            return body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }
}
