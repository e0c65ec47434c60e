package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.WorkloadDriver;
import io.understudy.model.ServerState;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.Durations;
import io.understudy.state.ProfileRecord;
import io.understudy.state.ServerRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Ordered boot without a job: a whole enclosure powers up again, or servers come back after an outage shorter than
 * the failure timeout. A profile that starts after others (its {@code after}) is not started by its server's boot;
 * once its server runs and holds its identity, this watcher starts its workload, but only when every profile it
 * follows is verified running ({@link Followed}). Until then it says, as a decision, what it waits for, and past the
 * group's boot timeout raises {@code boot-order-waiting}.
 *
 * <p>Each server-up is looked at until the workload is seen running there, then left alone. Asking is done on the
 * engine's executor, at most once a heartbeat interval per profile; a start that does not take backs off (the
 * group's {@code retryBackoff}, doubling) and stops at {@code retryLimit} attempts with a {@code profile-down} alarm.
 * A server whose identity is missing is {@link ProfileWatcher}'s, which waits for the same order.
 */
final class BootOrderWatcher {
    private final StateStore store;
    private final Drivers drivers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Per profile, the server-up being looked at: where, since when, and what has been done about it. */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    /** A profile on a server that came up at {@code since}. */
    private record Watch(String server, Instant since, Instant waitingSince, boolean running, int starts, Instant next) {
        Watch next(Instant at) {
            return new Watch(server, since, waitingSince, running, starts, at);
        }
    }

    /** A profile that starts after others, settled on a running server. */
    record Candidate(ProfileSpec profile, String server, Instant since, GroupPolicy policy, List<Followed.Look> looks) {}

    BootOrderWatcher(StateStore store, Drivers drivers, Scheduler scheduler, Executor executor, Decisions decisions) {
        this.store = store;
        this.drivers = drivers;
        this.scheduler = scheduler;
        this.executor = executor;
        this.decisions = decisions;
    }

    void tick() {
        Instant now = scheduler.now();
        List<Candidate> candidates = store.read(BootOrderWatcher::candidates);
        Set<String> seen = new java.util.HashSet<>();
        long term = store.term();
        for (Candidate c : candidates) {
            String id = c.profile().id();
            seen.add(id);
            Watch w = watches.get(id);
            if (w == null || !w.server().equals(c.server()) || !w.since().equals(c.since())) {
                w = new Watch(c.server(), c.since(), now, false, 0, now);
                watches.put(id, w);
            }
            if (w.running() || now.isBefore(w.next()) || !inFlight.add(id)) continue;
            // Set before the call returns, so the next rounds leave it alone meanwhile.
            watches.put(id, w.next(now.plus(c.policy().heartbeatInterval())));
            Watch at = w;
            executor.execute(() -> {
                try {
                    look(c, at, CallContext.probe(term));
                } catch (RuntimeException e) {
                    // The state store refused (leadership lost): the next leader looks again.
                } finally {
                    inFlight.remove(id);
                }
            });
        }
        watches.keySet().retainAll(seen);
    }

    private void look(Candidate c, Watch w, CallContext ctx) {
        String id = c.profile().id();
        Instant now = scheduler.now();
        GroupPolicy policy = c.policy();
        try {
            WorkloadDriver.Status status = drivers.workload().monitor(c.server(), c.profile(), ctx);
            if (status == WorkloadDriver.Status.RUNNING) {
                update(id, w, new Watch(w.server(), w.since(), w.waitingSince(), true, w.starts(), now));
                clearWaiting(id, now);
                return;
            }
            // Without its identity the server is ProfileWatcher's: it applies both, in the same order.
            if (!c.profile().identity().addresses().isEmpty() && !drivers.identity().holds(c.server(), c.profile(), ctx)) return;
        } catch (DriverException e) {
            return;   // asked again at the next interval
        }
        List<String> waiting = Followed.waiting(c.looks(), drivers, ctx);
        if (!waiting.isEmpty()) {
            String text = id + " waits on " + c.server() + " before its workload starts: waiting for " + String.join("; ", waiting);
            decisions.record(id, text);
            Followed.alarmIfLong(store, id, text, w.waitingSince(), now, policy.bootTimeout());
            return;
        }
        int n = w.starts();
        if (n >= policy.retryLimit()) {
            if (store.read(s -> s.openAlarm(AlarmType.PROFILE_DOWN, id).isEmpty())) {
                String text = id + " on " + c.server() + ": its workload did not start after " + n + " attempts in boot order: no more"
                        + " automatic attempts; start it there, or fail it over";
                decisions.record(id, text);
                store.submit(new RaiseAlarm(AlarmType.PROFILE_DOWN, id, text, now));
            }
            update(id, w, w.next(now.plus(policy.retryBackoff())));
            return;
        }
        java.time.Duration backoff = policy.backoff(n);
        update(id, w, new Watch(w.server(), w.since(), w.waitingSince(), false, n + 1, now.plus(backoff)));
        clearWaiting(id, now);
        String follows = String.join(", ", c.profile().after());
        // Read again just before acting: a job (a failover, a move stopping this very workload) may have started on
        // the profile since the round that chose it.
        if (!store.read(s -> settledOn(s, id, c.server()))) return;
        try {
            drivers.workload().start(c.server(), c.profile(), ctx);
            decisions.record(id, "every profile " + id + " starts after runs (" + follows + "): workload started on " + c.server()
                    + " (attempt " + (n + 1) + " of at most " + policy.retryLimit() + ")");
        } catch (DriverException e) {
            decisions.record(id, "every profile " + id + " starts after runs (" + follows + "), but its workload did not start on "
                    + c.server() + " (attempt " + (n + 1) + " of at most " + policy.retryLimit() + "; next not before "
                    + Durations.format(backoff) + "): " + e.getMessage());
        }
    }

    /** Keeps what this call learnt, unless the profile moved on meanwhile (another server-up, or forgotten). */
    private void update(String id, Watch was, Watch now) {
        watches.computeIfPresent(id, (k, cur) -> cur.server().equals(was.server()) && cur.since().equals(was.since()) ? now : cur);
    }

    private void clearWaiting(String id, Instant now) {
        if (store.read(s -> s.openAlarm(AlarmType.BOOT_ORDER_WAITING, id).isPresent())) {
            store.submit(new ClearAlarm(AlarmType.BOOT_ORDER_WAITING, id, now));
        }
    }

    private static boolean settledOn(ClusterState s, String profile, String server) {
        ProfileRecord r = s.profile(profile);
        ServerRecord sr = s.server(server);
        return r != null && server.equals(r.server()) && r.activeJob() == null && sr != null && sr.state() == ServerState.RUNNING;
    }

    /** Profiles with an {@code after}, recorded on a running server, with no job on them. */
    static List<Candidate> candidates(ClusterState s) {
        List<Candidate> out = new ArrayList<>();
        for (ProfileSpec p : s.config().profiles()) {
            if (p.after().isEmpty()) continue;
            ProfileRecord r = s.profile(p.id());
            if (r == null || r.server() == null || r.activeJob() != null) continue;
            ServerRecord server = s.server(r.server());
            GroupSpec g = s.config().group(p.group()).orElse(null);
            if (server == null || g == null || server.state() != ServerState.RUNNING || server.since() == null) continue;
            out.add(new Candidate(p, r.server(), server.since(), g.policy(), Followed.look(s, p)));
        }
        return out;
    }
}
