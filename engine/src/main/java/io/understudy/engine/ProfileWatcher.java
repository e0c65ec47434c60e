package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.engine.detect.Detector;
import io.understudy.model.ServerState;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.Durations;
import io.understudy.state.ProfileRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A profile recorded on a server that runs but does not hold its identity is brought up there again. A server that
 * comes back from a power cycle with no failover (the power came back before the failure timeout, its job ended
 * "recovered" while waiting for a spare, or its group only alerts) boots without its aliases: a real agent does not
 * keep them across a reboot, and nothing else would apply them again, so the profile would stay down while the state
 * says it runs. The server's own agent tells: it reports the addresses it holds with every heartbeat.
 *
 * <p>Acted on only when the state is settled: no job on the profile, the server recorded running, the report fresh,
 * sent since the server came up and since the profile last moved, and the aliases missing for a few heartbeats in a row
 * (an activation in flight is not a missing identity). The identity is applied and the workload started through the
 * agent, on the engine's executor. Like every automatic action it backs off (the group's {@code retryBackoff},
 * doubling) and stops at {@code retryLimit} attempts with a {@code profile-down} alarm; it starts counting again once
 * the server holds the profile.
 */
final class ProfileWatcher {
    /** Reports older than this are not trusted to describe the server now. */
    static final Duration FRESH = Duration.ofSeconds(3);
    /** Heartbeats in a row that must miss the aliases before anything is done. */
    static final int MISSED_BEATS = 3;

    private final StateStore store;
    private final Drivers drivers;
    private final Detector detector;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Since when each profile's recorded server has been seen without it. */
    private final Map<String, Instant> missingSince = new ConcurrentHashMap<>();
    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();
    /** In the text of the {@code profile-down} alarm this watcher raises, and clears when the server holds the profile. */
    static final String RUNS_WITHOUT = "which runs without its identity";

    private record Attempts(String server, int count, Instant next) {}

    /** A profile recorded on {@code server}, whose agent reported its addresses without the profile's aliases. */
    record Missing(ProfileSpec profile, String server, GroupPolicy policy, List<String> aliases, Instant reportedAt) {}

    ProfileWatcher(StateStore store, Drivers drivers, Detector detector, Scheduler scheduler, Executor executor, Decisions decisions) {
        this.store = store;
        this.drivers = drivers;
        this.detector = detector;
        this.scheduler = scheduler;
        this.executor = executor;
        this.decisions = decisions;
    }

    void tick() {
        Instant now = scheduler.now();
        Map<String, Detector.Held> held = detector.held();
        if (held.isEmpty()) return;
        List<String> holding = new ArrayList<>();
        List<String> clear = new ArrayList<>();
        Set<String> capped = new java.util.HashSet<>();
        List<Missing> missing = store.read(s -> {
            List<Missing> out = missing(s, held, now, holding);
            for (String p : holding) if (capped(s, p)) clear.add(p);
            // The cap is kept in the state (our alarm), so a new leader does not start counting again.
            for (Missing m : out) if (capped(s, m.profile().id())) capped.add(m.profile().id());
            return out;
        });
        for (String profile : holding) {
            missingSince.remove(profile);
            attempts.remove(profile);
        }
        for (String profile : clear) store.submit(new ClearAlarm(AlarmType.PROFILE_DOWN, profile, now));
        Set<String> stillMissing = ConcurrentHashMap.newKeySet();
        long term = store.term();
        for (Missing m : missing) {
            String id = m.profile().id();
            stillMissing.add(id);
            if (capped.contains(id)) continue;
            Instant since = missingSince.computeIfAbsent(id, k -> m.reportedAt());
            if (now.isBefore(since.plus(m.policy().heartbeatInterval().multipliedBy(MISSED_BEATS)))) continue;
            Attempts a = attempts.get(id);
            if (a != null && !a.server().equals(m.server())) a = null;
            if (a != null && now.isBefore(a.next())) continue;
            int n = a == null ? 0 : a.count();
            if (n >= m.policy().retryLimit()) {
                atCap(m, n, now);
                continue;
            }
            if (!inFlight.add(id)) continue;
            Duration backoff = m.policy().backoff(n);
            attempts.put(id, new Attempts(m.server(), n + 1, now.plus(backoff)));
            executor.execute(() -> {
                try {
                    bringUp(m, n + 1, backoff, CallContext.probe(term));
                } catch (RuntimeException e) {
                    // The state store refused (leadership lost): the next leader sees the same reports.
                } finally {
                    inFlight.remove(id);
                }
            });
        }
        missingSince.keySet().retainAll(stillMissing);
    }

    /** Whether the profile's open {@code profile-down} alarm is this watcher's (a leader before this one may have raised it). */
    private static boolean capped(ClusterState s, String profile) {
        return s.openAlarm(AlarmType.PROFILE_DOWN, profile).filter(a -> a.text().contains(RUNS_WITHOUT)).isPresent();
    }

    private void atCap(Missing m, int n, Instant now) {
        String id = m.profile().id();
        String text = id + " is recorded on " + m.server() + ", " + RUNS_WITHOUT + " (" + String.join(" ", m.aliases())
                + " missing) after " + n + " attempts to bring it up there: no more automatic attempts; a failover or fallback"
                + " by an operator moves it";
        decisions.record(id, text);
        store.submit(new RaiseAlarm(AlarmType.PROFILE_DOWN, id, text, now));
    }

    private void bringUp(Missing m, int attempt, Duration backoff, CallContext ctx) {
        String id = m.profile().id();
        String why = id + " is recorded on " + m.server() + ", but its agent reports " + String.join(" ", m.aliases())
                + " missing (the server came back without a failover)";
        if (!m.profile().after().isEmpty()) {
            // Ordered boot: not before every profile it starts after runs; the wait is no attempt.
            List<String> waiting = Followed.waiting(store.read(s -> Followed.look(s, m.profile())), drivers, ctx);
            if (!waiting.isEmpty()) {
                attempts.computeIfPresent(id, (k, a) -> new Attempts(a.server(), attempt - 1, scheduler.now().plus(m.policy().heartbeatInterval())));
                String text = why + ": waiting for " + String.join("; ", waiting) + " before it starts there (boot order)";
                decisions.record(id, text);
                Followed.alarmIfLong(store, id, text, missingSince.getOrDefault(id, m.reportedAt()), scheduler.now(), m.policy().bootTimeout());
                return;
            }
        }
        try {
            drivers.identity().assign(m.server(), m.profile(), ctx);
            drivers.workload().start(m.server(), m.profile(), ctx);
            decisions.record(id, why + ": identity applied and workload started again on " + m.server() + " (attempt " + attempt
                    + " of at most " + m.policy().retryLimit() + "; next not before " + Durations.format(backoff) + ")");
        } catch (DriverException e) {
            if (e.kind() == DriverException.Kind.CONFLICT) {
                store.submit(new RaiseAlarm(AlarmType.ADDRESS_CONFLICT, id, "address conflict on " + m.server() + ": " + e.getMessage(),
                        scheduler.now()));
            }
            decisions.record(id, why + ": could not bring it up there (attempt " + attempt + " of at most " + m.policy().retryLimit()
                    + "): " + e.getMessage());
        }
    }

    /**
     * The profiles whose recorded server reported, freshly and since it came up, none of their aliases; those whose
     * server reported them go to {@code holding}.
     */
    static List<Missing> missing(ClusterState s, Map<String, Detector.Held> held, Instant now, List<String> holding) {
        List<Missing> out = new ArrayList<>();
        Map<String, Instant> moved = SplitBrainWatcher.lastMoves(s);
        for (ProfileSpec p : s.config().profiles()) {
            ProfileRecord r = s.profile(p.id());
            if (r == null || r.server() == null || r.activeJob() != null || p.identity().addresses().isEmpty()) continue;
            GroupSpec g = s.config().group(p.group()).orElse(null);
            Detector.Held h = held.get(r.server());
            var server = s.server(r.server());
            if (g == null || h == null || server == null || server.state() != ServerState.RUNNING) continue;
            if (now.isAfter(h.at().plus(FRESH)) || !h.at().isAfter(server.since()) || !h.at().isAfter(moved.getOrDefault(p.id(), Instant.EPOCH))) continue;
            List<String> aliases = p.identity().addresses().stream().map(SplitBrainWatcher::bare).toList();
            if (aliases.stream().anyMatch(h.addresses()::contains)) {
                holding.add(p.id());
            } else {
                out.add(new Missing(p, r.server(), g.policy(), aliases, h.at()));
            }
        }
        return out;
    }
}
