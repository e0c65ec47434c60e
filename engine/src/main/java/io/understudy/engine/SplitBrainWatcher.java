package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.engine.detect.Detector;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.JobType;
import io.understudy.state.ProfileRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The split-brain rule (seed 004): agents report the addresses they hold; when a profile's alias is held by a server
 * other than the one the state has it on (an isolated server came back with it), the side the group's policy names
 * gives it up — by default the regular (home) server — and the other keeps serving. The yielding side's agent stops
 * the workload and drops the identity, the keeper announces the alias again (clients may have learned the other
 * side's MAC), and a {@code split-brain} alarm says who held what. Fallback then follows the
 * profile's policy; when the spare is the one to yield, a fallback job takes the profile home at once.
 */
final class SplitBrainWatcher {
    /** Reports older than this are not trusted to describe the server now. */
    static final Duration FRESH = Duration.ofSeconds(3);
    /**
     * How old an agent's list of held addresses may be when it arrives: read at most a second before its heartbeat
     * (the agent lists them once a second), and that heartbeat up to its one-second timeout on the way. Reports within
     * this long after a profile moved may describe the layout before it: the released source of a preloaded switchover
     * was told to give up the workload it kept as the standby (CI, PlannedMoveNetnsTest).
     */
    static final Duration REPORT_LAG = Duration.ofSeconds(2);
    /** One order to the same yielding side per this long: it may take a while to stop a workload. */
    static final Duration AGAIN = Duration.ofSeconds(5);

    private final StateStore store;
    private final Drivers drivers;
    private final Detector detector;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> lastOrder = new ConcurrentHashMap<>();

    SplitBrainWatcher(StateStore store, Drivers drivers, Detector detector, Scheduler scheduler, Executor executor, Decisions decisions) {
        this.store = store;
        this.drivers = drivers;
        this.detector = detector;
        this.scheduler = scheduler;
        this.executor = executor;
        this.decisions = decisions;
    }

    /** A profile's alias held by {@code other} while the state has the profile on {@code current}. */
    record Conflict(ProfileSpec profile, String current, String other, String address, GroupPolicy.SplitBrainYield rule,
                    boolean otherIsHome) {}

    void tick() {
        Instant now = scheduler.now();
        Map<String, Detector.Held> held = detector.held();
        if (held.isEmpty()) return;
        long term = store.term();
        for (Conflict c : store.read(s -> conflicts(s, held, now))) {
            String key = c.profile().id() + "@" + c.other();
            Instant last = lastOrder.get(key);
            if (last != null && now.isBefore(last.plus(AGAIN))) continue;
            if (!inFlight.add(key)) continue;
            lastOrder.put(key, now);
            executor.execute(() -> {
                try {
                    resolve(c, CallContext.probe(term));
                } catch (RuntimeException e) {
                    // The state store refused (leadership lost): the next leader sees the same reports.
                } finally {
                    inFlight.remove(key);
                }
            });
        }
    }

    private void resolve(Conflict c, CallContext ctx) {
        // The regular rule: home yields when it is the side that came back; when the state has the profile at home, the
        // state's side is kept (moving it away would take a fence). The spare rule: the spare yields, and when that is
        // the state's side the profile falls back to its home, which holds it already.
        boolean otherYields = c.rule() == GroupPolicy.SplitBrainYield.REGULAR || !c.otherIsHome();
        String yielder = otherYields ? c.other() : c.current();
        String keeper = otherYields ? c.current() : c.other();
        String what = c.profile().id() + "'s address " + c.address() + " is held by " + c.current() + " and by " + c.other()
                + ": split brain; " + yielder + " gives it up (policy: " + c.rule().name().toLowerCase() + " side yields), "
                + keeper + " keeps serving";
        decisions.record(c.profile().id(), what);
        store.submit(new RaiseAlarm(AlarmType.SPLIT_BRAIN, c.profile().id(), what, scheduler.now()));
        try {
            drivers.workload().stop(yielder, c.profile(), ctx);
            drivers.identity().release(yielder, c.profile(), ctx);
            decisions.record(c.profile().id(), "agent of " + yielder + " stopped the workload of " + c.profile().id() + " and dropped its identity");
        } catch (DriverException e) {
            decisions.record(c.profile().id(), "could not make " + yielder + " give up " + c.profile().id() + ": " + e.getMessage());
            return;
        }
        try {
            // Clients may have learned the yielding side's MAC while both answered: the keeper announces again.
            drivers.identity().assign(keeper, c.profile(), ctx);
            decisions.record(c.profile().id(), keeper + " announced " + c.address() + " again (gratuitous ARP)");
        } catch (DriverException e) {
            decisions.record(c.profile().id(), keeper + " could not announce " + c.address() + " again: " + e.getMessage());
        }
        if (!otherYields) {
            // The state's side gave it up: the profile follows the side that keeps it, its home.
            store.submit(new CreateJob(JobType.FALLBACK, c.profile().id(), c.current(), "split-brain rule",
                    "split brain: " + c.current() + " gave up the identity, " + keeper + " (home) keeps it", scheduler.now()));
        }
    }

    /**
     * When each profile's newest ended job ended (absent: none), in one pass over the jobs. A report from before the
     * profile last moved describes the old layout, not a split brain (nor a lost identity).
     */
    static Map<String, Instant> lastMoves(ClusterState s) {
        Map<String, Instant> out = new HashMap<>();
        for (var j : s.jobs()) if (j.ended() != null) out.merge(j.profile(), j.ended(), (a, b) -> a.isAfter(b) ? a : b);
        return out;
    }

    /**
     * Every fresh report of an alias by a running server of the profile's group other than the one the state has the
     * profile on. One pass over the reports through an index of aliases: comparing every profile with every member of
     * its group cost ~0.3 s a round with 1,000 servers reporting, and the detector took every round for a pause.
     */
    static List<Conflict> conflicts(ClusterState s, Map<String, Detector.Held> held, Instant now) {
        Map<String, Instant> moved = lastMoves(s);
        Map<String, ProfileSpec> byAlias = new HashMap<>();
        for (ProfileSpec p : s.config().profiles()) {
            for (String alias : p.identity().addresses()) byAlias.putIfAbsent(bare(alias), p);
        }
        Map<String, Conflict> out = new LinkedHashMap<>();
        for (Map.Entry<String, Detector.Held> e : new TreeMap<>(held).entrySet()) {
            String other = e.getKey();
            Detector.Held h = e.getValue();
            if (now.isAfter(h.at().plus(FRESH))) continue;
            // Only a running server's word counts, and only what it said since it was last seen to change state
            // (a fenced server's last report is from before its fence).
            var server = s.server(other);
            if (server == null || server.state() != io.understudy.model.ServerState.RUNNING || !h.at().isAfter(server.since())) continue;
            for (String address : h.addresses()) {
                ProfileSpec p = byAlias.get(address);
                if (p == null) continue;
                ProfileRecord r = s.profile(p.id());
                if (r == null || r.server() == null || r.activeJob() != null || other.equals(r.server())) continue;
                GroupSpec g = s.config().group(p.group()).orElse(null);
                if (g == null || !(g.servers().contains(other) || g.spares().contains(other))) continue;
                if (!h.at().isAfter(moved.getOrDefault(p.id(), Instant.EPOCH).plus(REPORT_LAG))) continue;
                out.putIfAbsent(p.id() + "@" + other, new Conflict(p, r.server(), other, address, g.policy().splitBrainYield(), other.equals(p.home())));
            }
        }
        return new ArrayList<>(out.values());
    }

    static String bare(String alias) {
        int slash = alias.indexOf('/');
        return slash < 0 ? alias : alias.substring(0, slash);
    }
}
