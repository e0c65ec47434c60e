package io.understudy.engine.detect;

import io.understudy.drivers.AgentListener;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.PowerReading;
import io.understudy.engine.Decisions;
import io.understudy.engine.EngineListener;
import io.understudy.engine.EngineSettings;
import io.understudy.model.ServerState;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.ServerRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ObserveServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;

/**
 * Failure detection. Every node records heartbeats; only the leader convicts. A server silent past its group's
 * failure timeout is suspected, its BMC is asked, and the answer becomes a named {@link Verdict} committed with
 * the server's new state. Two guards keep it from convicting the innocent: a round in which the detector itself
 * was paused convicts nobody, and when many servers look dead at once without their BMCs confirming it, the
 * control plane's own network is suspected and nobody is convicted (the {@link Brake}, judged over a sliding window).
 * A round does no I/O: BMCs are read by {@link Probes} on the executor given, and a round reads their answers.
 */
public final class Detector implements AgentListener {
    private record Event(String server, String text, Instant at) {}

    private final StateStore store;
    private final Probes probes;
    private final Brake brake;
    private final Scheduler scheduler;
    private final EngineSettings settings;
    private final Decisions decisions;
    private final EngineListener listener;
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastProbe = new ConcurrentHashMap<>();
    /** For each server whose BMC let a probe's deadline pass, that probe (so the decision is recorded once). */
    private final Map<String, Instant> unanswered = new ConcurrentHashMap<>();
    /** The silence (by its start) for which each late server's BMC was already asked ahead of its failure timeout. */
    private final Map<String, Instant> askedAhead = new ConcurrentHashMap<>();
    /** Servers probed because they wait without heartbeats, and when, until the answer is judged. */
    private final Map<String, Instant> offAsked = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Event> events = new ConcurrentLinkedDeque<>();
    private volatile Instant leaderSince;
    private final java.util.Set<String> waitingForAgent = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> unheardHere = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When this node began to receive agents' reports; null while it cannot (its API not up yet): no conviction then. */
    private volatile Instant listeningSince = Instant.EPOCH;
    private Instant lastTick;
    /** Set by a new leader, acted on by the next round: the brake's window and wave start afresh. */
    private volatile boolean brakeStale;

    /**
     * @param probeExecutor where BMC reads run (at most {@link Probes#WIDTH} at once, one per server): a pool in service, a
     *               direct executor in tests on the driven clock, which then read every answer in the same round
     */
    public Detector(StateStore store, Drivers drivers, Scheduler scheduler, EngineSettings settings, Decisions decisions,
                    EngineListener listener, Executor probeExecutor) {
        this.store = store;
        this.probes = new Probes(drivers, scheduler, probeExecutor);
        this.brake = new Brake(settings, store, decisions);
        this.scheduler = scheduler;
        this.settings = settings;
        this.decisions = decisions;
        this.listener = listener;
    }

    @Override
    public void heartbeat(String server, Instant at) {
        lastSeen.merge(server, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public void hardwareEvent(String server, String text, Instant at) {
        events.addLast(new Event(server, text, at));
        while (events.size() > 1000) events.pollFirst();
    }

    /** The addresses a server's agent reported last, and when. */
    public record Held(List<String> addresses, Instant at) {}

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    @Override
    public void addresses(String server, List<String> addresses, Instant at) {
        held.put(server, new Held(List.copyOf(addresses), at));
    }

    private final Map<String, io.understudy.model.Resources> reported = new ConcurrentHashMap<>();

    @Override
    public void inventory(String server, io.understudy.model.Resources resources, Instant at) {
        if (resources != null) reported.put(server, resources);
    }

    /** The resources each agent reported last to this node (every node hears them; the leader records changes). */
    public Map<String, io.understudy.model.Resources> reported() {
        return Map.copyOf(reported);
    }

    /** What each agent reported holding, for the split-brain rule. */
    public Map<String, Held> held() {
        return Map.copyOf(held);
    }

    public Instant lastSeen(String server) {
        return lastSeen.get(server);
    }

    /**
     * How long no control-plane node has heard the server: this node's silence (measured from when it became leader
     * or began to listen at the latest, so never overstated) or a shorter one reported by another node. Zero while
     * this node cannot tell.
     */
    public Duration silence(String server) {
        Instant now = scheduler.now();
        Instant since = listeningSince == null ? null : max(max(lastSeen.get(server), leaderSince), listeningSince);
        if (since == null) return Duration.ZERO;
        Duration here = Duration.between(since, now);
        // Asked by a job step, off the tick: it may wait for the witnesses' own deadline.
        Duration elsewhere = witnesses.ask(List.of(server)).join().get(server);
        return elsewhere != null && elsewhere.compareTo(here) < 0 ? elsewhere : here;
    }

    /** A new leader measures silence from now on: it waits a full timeout of its own before suspecting anyone (invariant 5). */
    public void leaderReady() {
        leaderSince = scheduler.now();
        lastTick = null;
        brakeStale = true;
    }

    /** This node cannot hear agents yet (it is starting): silence means nothing until {@link #listening()}. */
    private volatile Witnesses witnesses = Witnesses.NONE;

    /** Other nodes to ask before suspecting a server (a group's members); none for a single node. */
    public void witnesses(Witnesses w) {
        witnesses = w;
        answers.forget();
    }

    private final WitnessAnswers answers = new WitnessAnswers();

    public void deaf() {
        listeningSince = null;
    }

    /** Agents' reports reach this node from now on; silence is measured from here at the earliest. */
    public void listening() {
        listeningSince = scheduler.now();
    }

    /** One round of detection; called by the engine on the leader. Reads BMC answers, never waits for one. */
    public void tick() {
        Instant now = scheduler.now();
        boolean paused = lastTick != null && Duration.between(lastTick, now).compareTo(settings.tick().multipliedBy(10)) > 0;
        if (paused) decisions.record("detector", "detector was paused for " + Duration.between(lastTick, now).toMillis() + " ms; no conviction this round");
        lastTick = now;
        if (brakeStale) {
            brakeStale = false;
            brake.reset();
        }
        drainHardwareEvents(now);
        List<Suspect> suspects = new ArrayList<>();
        List<Watched> watched = store.read(s -> s.servers().stream()
                .map(r -> new Watched(r, s.index().server(r.id()).orElse(null), s.index().groupOf(r.id()).map(g -> g.policy()).orElse(null)))
                .filter(w -> w.spec() != null && w.policy() != null).toList());
        Set<String> running = new HashSet<>();
        Duration slowest = Duration.ZERO;
        for (Watched w : watched) {
            ServerRecord r = w.record();
            ServerSpec spec = w.spec();
            GroupPolicy policy = w.policy();
            Instant seen = lastSeen.get(r.id());
            // Only a heartbeat newer than the state counts as news: the last beat of a server we just fenced does not.
            boolean heartbeating = seen != null && seen.isAfter(r.since()) && !now.isAfter(seen.plus(policy.failureTimeout()));
            Instant silentSince = listeningSince == null ? null : max(max(seen, leaderSince), listeningSince);
            boolean silentTooLong = silentSince != null && now.isAfter(silentSince.plus(policy.failureTimeout()));
            if (policy.heartbeatInterval().compareTo(slowest) > 0) slowest = policy.heartbeatInterval();
            switch (r.state()) {
                case RUNNING -> {
                    running.add(r.id());
                    if (silentSince != null && now.isAfter(silentSince.plus(policy.heartbeatInterval().multipliedBy(2)))) {
                        brake.late(r.id(), now, policy.failureTimeout());
                        brake.join(r.id());
                        // Ask its BMC now, once per silence: the answer is in when the failure timeout runs out,
                        // instead of a probe started only then adding its round trip to every detection.
                        if (!silentSince.equals(askedAhead.get(r.id())) && probes.ask(spec, store.term())) askedAhead.put(r.id(), silentSince);
                    }
                    if (silentTooLong) suspects.add(new Suspect(spec, seen, silentSince, policy.failureTimeout()));
                }
                case UNKNOWN, BOOTING, OFF -> {
                    if (heartbeating) observe(r.id(), ServerState.RUNNING, "agent heartbeating");
                    else if (r.state() == ServerState.UNKNOWN && silentTooLong) suspects.add(new Suspect(spec, seen, silentSince, policy.failureTimeout()));
                    else if (r.state() == ServerState.OFF) probeOff(spec, r, now);
                    // An idle spare a failed job powered on and left "booting": nothing boots it any more; its BMC
                    // tells when it is off again (else it stayed "booting" for ever, and was ordered off again and
                    // again as a cold spare found running, then alarmed).
                    else if (r.state() == ServerState.BOOTING && r.reservedBy() == null && isIdleSpare(r.id())) probeOff(spec, r, now);
                }
                case FAILED -> {
                    if (heartbeating) maybeRecovered(spec, r);
                    else if (isIdleSpare(r.id())) probeOff(spec, r, now);
                }
                case FENCED -> {
                    // A heartbeat heard within a failure timeout of the fence was on its way before it (waiting in this
                    // node's HTTP server, or let through after a link flap): taken as a repair, it un-fenced a server
                    // the BMC had just powered off, and the failover failed at move-profile (namespace campaign, a
                    // 700 ms flap). A repaired server boots before it heartbeats, which takes longer than that.
                    if (heartbeating && seen.isAfter(r.since().plus(policy.failureTimeout()))) {
                        observe(r.id(), ServerState.RUNNING, "repaired: agent heartbeating again");
                    }
                }
            }
        }
        if (!paused && listeningSince != null) convict(heardElsewhere(suspects, watched, now), running, slowest, now);
        endWave(watched, now);
    }

    private record Watched(ServerRecord record, ServerSpec spec, GroupPolicy policy) {}

    /**
     * Failure timeouts run from the last heartbeat seen by any node: a suspect that another node heard within its
     * timeout is not suspected. Asked only when there are suspects, so a quiet data center costs the peers nothing;
     * asked off the tick, so until an answer asked after the newest suspicion is in, nobody is convicted.
     */
    private List<Suspect> heardElsewhere(List<Suspect> suspects, List<Watched> watched, Instant now) {
        if (suspects.isEmpty() || witnesses == Witnesses.NONE) return suspects;
        Instant since = suspects.stream().map(x -> x.silentSince().plus(x.failureTimeout())).max(Instant::compareTo).orElse(now);
        Map<String, Duration> elsewhere = answers.heard(witnesses, suspects.stream().map(x -> x.spec().id()).toList(), since, now);
        if (elsewhere == null) return List.of();
        if (elsewhere.isEmpty()) return suspects;
        List<Suspect> kept = new ArrayList<>();
        for (Suspect x : suspects) {
            Duration silence = elsewhere.get(x.spec().id());
            Duration timeout = watched.stream().filter(w -> w.spec().id().equals(x.spec().id())).findFirst()
                    .map(w -> w.policy().failureTimeout()).orElse(Duration.ZERO);
            if (silence != null && silence.compareTo(timeout) < 0) {
                if (unheardHere.add(x.spec().id())) {
                    decisions.record(x.spec().id(), "silent to this node but heard by another " + silence.toMillis()
                            + " ms ago: cut off from the leader, not failed");
                }
                continue;
            }
            unheardHere.remove(x.spec().id());
            kept.add(x);
        }
        return kept;
    }

    private record Suspect(ServerSpec spec, Instant lastSeen, Instant silentSince, Duration failureTimeout) {}

    /**
     * @param running servers that should heartbeat (the brake also counts those convicted within its window)
     * @param slowest the longest heartbeat interval: a verdict without BMC confirmation waits until every server
     *                would have shown it is late too, so the brake sees a control-plane cut before anyone is convicted
     */
    private void convict(List<Suspect> suspects, Set<String> running, Duration slowest, Instant now) {
        if (suspects.isEmpty()) return;
        List<Map.Entry<Suspect, Verdict>> verdicts = new ArrayList<>();
        int weak = 0;
        for (Suspect s : suspects) {
            Optional<Verdict> answer = verdict(s, now);
            if (answer.isEmpty()) continue;
            Verdict v = answer.get();
            if (!v.confirmedByBmc() && !now.isAfter(s.silentSince().plus(slowest.multipliedBy(2)))) continue;
            verdicts.add(Map.entry(s, v));
            if (!v.confirmedByBmc()) weak++;
        }
        Brake.Count count = brake.count(now, running);
        boolean brakes = weak > 0 && count.engages(settings);
        if (brakes) brake.hold(count, now);
        for (Map.Entry<Suspect, Verdict> e : verdicts) {
            Verdict v = e.getValue();
            if (brakes && !v.confirmedByBmc()) continue;
            Suspect s = e.getKey();
            Duration silent = s.lastSeen() == null ? null : Duration.between(s.lastSeen(), now);
            String reason = v.text() + (silent == null ? " (never heard from)" : " (silent " + silent.toMillis() + " ms)");
            if (v == Verdict.POWERED_OFF && isIdleSpare(s.spec().id())) {
                observe(s.spec().id(), ServerState.OFF, "BMC reports power off");
                continue;
            }
            if (s.lastSeen() == null && v != Verdict.POWERED_OFF) {
                // Never heard from and not off: its agent has not started yet (a control plane started first, a slow
                // boot). Silence we never saw end is no failure; fencing it would take down a server on its way up.
                if (waitingForAgent.add(s.spec().id())) {
                    decisions.record(s.spec().id(), "no heartbeat yet and the BMC says it is on: waiting for its agent");
                }
                continue;
            }
            // A convicted server leaves the running ones but keeps counting for the brake: the wave it began goes on.
            brake.late(s.spec().id(), now, s.failureTimeout());
            observe(s.spec().id(), ServerState.FAILED, reason);
            decisions.record(s.spec().id(), "failed: " + reason);
            listener.detected(s.spec().id(), v.wire(), silent == null ? Duration.ZERO : silent);
        }
    }

    /** The wave is over once every server in it is explained; a leader that knows no wave takes the servers late now. */
    private void endWave(List<Watched> watched, Instant now) {
        Map<String, Watched> byId = new HashMap<>();
        for (Watched w : watched) byId.put(w.spec().id(), w);
        brake.settle(now, id -> explained(byId.get(id), now),
                () -> watched.stream().filter(w -> !heardLately(w, now)).map(w -> w.spec().id()).toList());
    }

    /** A server of the brake's wave needs no more explaining: it is alive, gone from the configuration, or its BMC confirmed it. */
    private boolean explained(Watched w, Instant now) {
        if (w == null) return true;
        if (heardLately(w, now)) return true;
        ServerState state = w.record().state();
        if (state == ServerState.FENCED || state == ServerState.OFF) return true;
        return probes.since(w.spec().id(), w.record().since()).map(a -> a.verdict().confirmedByBmc()).orElse(false);
    }

    private boolean heardLately(Watched w, Instant now) {
        Instant seen = lastSeen.get(w.spec().id());
        return seen != null && !now.isAfter(seen.plus(w.policy().heartbeatInterval().multipliedBy(2)));
    }

    private boolean isIdleSpare(String server) {
        return store.read(s -> s.index().isSpare(server) && s.profileOn(server).isEmpty());
    }

    /**
     * The BMC's word on a suspect: asked again whenever no probe of it is out, judged on the newest answer given
     * since it fell silent and within its failure timeout. Empty while a probe is out and younger than that; a BMC
     * that lets its timeout pass without an answer counts as unreachable, so a hung BMC delays a verdict by one failure
     * timeout at most and never holds up the round.
     */
    private Optional<Verdict> verdict(Suspect s, Instant now) {
        String id = s.spec().id();
        probes.ask(s.spec(), store.term());
        Instant fresh = max(s.silentSince(), now.minus(s.failureTimeout()));
        Optional<Probes.Answer> answer = probes.since(id, fresh);
        if (answer.isPresent()) return Optional.of(answer.get().verdict());
        Optional<Instant> out = probes.outSince(id);
        if (out.isPresent() && !out.get().isBefore(fresh)) return Optional.empty();
        if (out.isPresent() && !out.get().equals(unanswered.put(id, out.get()))) {
            decisions.record(id, "BMC has not answered a probe for " + Duration.between(out.get(), now).toMillis()
                    + " ms: judged without it");
        }
        return Optional.of(Verdict.UNCONFIRMED);
    }

    /**
     * Every node hears agents' hardware events, only the leader acts on them. A follower's queue is therefore old news
     * when it becomes leader: the leader of the time acted on it, and the server may have been repaired and taken its
     * profile back since. An event heard more than the group's failure timeout before this node led is dropped (with a
     * decision), so a leader change never fails a server over again for a fault that is over (invariant 5). One heard
     * just before, which the old leader may have died before acting on, is still acted on.
     */
    private void drainHardwareEvents(Instant now) {
        Event e;
        Instant led = leaderSince;
        while ((e = events.pollFirst()) != null) {
            Event ev = e;
            ServerRecord r = store.read(s -> s.server(ev.server()));
            if (r == null || r.state().isDown()) continue;
            Duration timeout = store.read(s -> s.index().groupOf(ev.server()).map(g -> g.policy().failureTimeout()).orElse(Duration.ZERO));
            if (led != null && ev.at().isBefore(led.minus(timeout))) {
                decisions.record(ev.server(), "hardware event heard " + Duration.between(ev.at(), now).toMillis()
                        + " ms ago, before this node led, not acted on (the leader of the time had it): " + ev.text());
                continue;
            }
            String reason = "hardware event: " + ev.text();
            observe(ev.server(), ServerState.FAILED, reason);
            decisions.record(ev.server(), "failed: " + reason);
            listener.detected(ev.server(), Verdict.HARDWARE_EVENT.wire(), Duration.between(ev.at(), now));
        }
    }

    /**
     * A failed server that heartbeats again counts as recovered only if its BMC agrees and no job is moving it. The
     * BMC is asked whenever no probe of it is out; an answer given since the server failed is judged.
     */
    private void maybeRecovered(ServerSpec spec, ServerRecord r) {
        boolean moving = store.read(s -> s.activeJobs().stream().anyMatch(j -> spec.id().equals(j.source())));
        if (moving) return;
        probes.ask(spec, store.term());
        // Stays failed until its BMC can vouch for it.
        probes.since(spec.id(), r.since()).map(Probes.Answer::reading).ifPresent(reading -> {
            if (reading.power() == PowerReading.Power.ON && reading.health() != PowerReading.Health.CRITICAL) {
                observe(spec.id(), ServerState.RUNNING, "recovered: agent heartbeating, BMC healthy");
            }
        });
    }

    /**
     * Servers that wait powered off have no heartbeat: their BMC is probed now and then instead, and the answer is
     * judged by the round that finds it (once), against the server's state at that time.
     */
    private void probeOff(ServerSpec spec, ServerRecord r, Instant now) {
        String id = spec.id();
        Instant last = lastProbe.get(id);
        if (!offAsked.containsKey(id) && (last == null || !now.isBefore(last.plus(settings.probeEvery())))) {
            lastProbe.put(id, now);
            if (probes.ask(spec, store.term())) offAsked.put(id, now);
        }
        Instant asked = offAsked.get(id);
        if (asked == null) return;
        Optional<Probes.Answer> answer = probes.since(id, asked);
        if (answer.isEmpty()) return;
        offAsked.remove(id);
        if (answer.get().asked().isBefore(r.since())) return;
        ServerState state = r.state();
        if (answer.get().error() != null) {
            if (state == ServerState.OFF) observe(id, ServerState.FAILED, "BMC probe failed: " + answer.get().error().getMessage());
            return;
        }
        PowerReading reading = answer.get().reading();
        boolean healthy = reading.health() != PowerReading.Health.CRITICAL;
        if (state == ServerState.OFF && !healthy) observe(id, ServerState.FAILED, "BMC reports critical health: " + reading.detail());
        if (state == ServerState.BOOTING && healthy && reading.power() == PowerReading.Power.OFF) {
            observe(id, ServerState.OFF, "BMC reports power off; no job boots it");
        }
        if (state == ServerState.FAILED && healthy && reading.power() == PowerReading.Power.OFF) {
            observe(id, ServerState.OFF, "BMC answers again: powered off and healthy");
        }
    }

    private void observe(String server, ServerState state, String reason) {
        submit(new ObserveServer(server, state, reason, scheduler.now()));
    }

    private void submit(io.understudy.state.command.Command c) {
        store.submit(c);
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
