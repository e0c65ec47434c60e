package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.drivers.PairDriver.PairStatus;
import io.understudy.engine.job.TwinCheck;
import io.understudy.model.ServerState;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.JobBudget;
import io.understudy.state.JobType;
import io.understudy.state.ProfileRecord;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Lockstep pairs watched (seed 000): every {@link #EVERY} the two members of each lockstep profile — the primary (the
 * server the profile is recorded on) and the twin (the other server of its 1:1 group) — are asked their status
 * through the pair driver, off the leader's loop. What they say is kept as a {@link PairView} (sequence numbers, lag,
 * paired / syncing / degraded) for {@code understudy profiles}, the API and the web page.
 *
 * <p>A twin that is down, does not answer or does not run its member for longer than the group's failure timeout
 * raises {@code lockstep-degraded} ("running without a twin"), cleared once it holds the pair's inputs again; the
 * primary never waits on it (its replies leave on the majority of primary and arbiter). A member that reports a
 * digest divergence raises {@code lockstep-divergence} (a re-pair job has it resync from the leader), cleared when no member
 * reports one. The primary's own failure is the detector's: it is fenced and the alias moves to the twin like every
 * preloaded standby's.
 *
 * <p>A twin that runs (the group's spare when the pair forms or comes back, the old home once repaired after a
 * failover) but whose member does not answer in two looks in a row is re-paired by a job ({@code re-pair}: start-twin,
 * sync-twin) — its member started and synced in while the primary serves — budgeted like every automatic job (it
 * backs off after a failure and stops at the group's retry limit, {@code automatic-jobs-held}).
 */
final class PairWatcher {
    static final Duration EVERY = Duration.ofSeconds(2);

    enum State {
        PAIRED, SYNCING, DEGRADED;

        String wire() {
            return name().toLowerCase();
        }
    }

    /**
     * @param seq    inputs the primary has applied (null when it did not answer)
     * @param lag    inputs the twin is behind the primary (null unless both answered)
     */
    record PairView(String profile, String primary, String twin, Long seq, Long twinSeq, Long lag, State state, String why, Instant checked) {
        String stateWire() {
            return state.wire();
        }
    }

    private final StateStore store;
    private final Drivers drivers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final AutomaticJobs automatic;
    private final Map<String, PairView> views = new ConcurrentHashMap<>();
    private final Map<String, Instant> degradedSince = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private Instant last;

    PairWatcher(StateStore store, Drivers drivers, Scheduler scheduler, Executor executor, Decisions decisions, AutomaticJobs automatic) {
        this.automatic = automatic;
        this.store = store;
        this.drivers = drivers;
        this.scheduler = scheduler;
        this.executor = executor;
        this.decisions = decisions;
    }

    /** @param free the twin may be re-paired: no job holds the profile, the twin is not reserved, drained or taken */
    private record Pair(ProfileSpec profile, String primary, String twin, GroupPolicy policy, boolean free) {}

    /** Profiles whose twin's member did not answer at the last look (a re-pair job comes at the second). */
    private final Set<String> silentTwin = ConcurrentHashMap.newKeySet();
    /** Profiles whose twin was in {@link TwinCheck#trouble trouble} at the last look (a re-pair job resyncs it). */
    private final Set<String> troubledTwin = ConcurrentHashMap.newKeySet();

    void tick() {
        Instant now = scheduler.now();
        if (last != null && now.isBefore(last.plus(EVERY))) return;
        last = now;
        long term = store.term();
        for (Pair p : store.read(PairWatcher::pairs)) {
            if (!inFlight.add(p.profile().id())) continue;
            executor.execute(() -> {
                try {
                    look(p, CallContext.probe(term));
                } catch (RuntimeException e) {
                    // The state store refused (leadership lost): the next leader looks again.
                } finally {
                    inFlight.remove(p.profile().id());
                }
            });
        }
    }

    /** The primary's sequence number at the last look that had one (the proof a twin is fed compares with it). */
    private final Map<String, Long> primarySeq = new ConcurrentHashMap<>();

    private Long primarySeqBefore(String profile, PairStatus primary) {
        return primary == null ? primarySeq.get(profile) : primarySeq.put(profile, primary.seq());
    }

    /** The pairs as last seen on this node (the leader's; empty elsewhere). */
    Collection<PairView> views() {
        return List.copyOf(views.values());
    }

    /** Lockstep profiles recorded running, with the other server of their 1:1 group as twin. */
    private static List<Pair> pairs(ClusterState s) {
        List<Pair> out = new ArrayList<>();
        for (ProfileSpec p : s.config().profiles()) {
            if (s.config().protectionOf(p) != ProtectionLevel.LOCKSTEP) continue;
            ProfileRecord r = s.profile(p.id());
            GroupSpec g = s.index().group(p.group()).orElse(null);
            if (r == null || r.server() == null || g == null) continue;
            String twin = twinOf(g, r.server());
            if (twin == null) continue;
            var t = s.server(twin);
            boolean free = r.activeJob() == null && r.lockedTo() == null && t != null && !t.drained() && t.reservedBy() == null
                    && s.profileOn(twin).isEmpty();
            out.add(new Pair(p, r.server(), twin, g.policy(), free));
        }
        return out;
    }

    /** The other server of a lockstep group's pair: the standby when the primary runs at home, home when on the standby. */
    static String twinOf(GroupSpec g, String primary) {
        List<String> both = new ArrayList<>(g.servers());
        both.addAll(g.spares());
        both.remove(primary);
        return both.size() == 1 ? both.get(0) : null;
    }

    private void look(Pair p, CallContext ctx) {
        String id = p.profile().id();
        PairStatus primary = null;
        String primaryWhy = null;
        try {
            primary = drivers.pair().status(p.primary(), p.profile(), ctx);
        } catch (DriverException e) {
            primaryWhy = e.getMessage();
        }
        PairStatus twin = null;
        String twinWhy;
        ServerState twinState = store.read(s -> s.server(p.twin()) == null ? ServerState.UNKNOWN : s.server(p.twin()).state());
        if (twinState != ServerState.RUNNING) {
            twinWhy = "twin " + p.twin() + " is " + twinState.wire();
        } else {
            try {
                twin = drivers.pair().status(p.twin(), p.profile(), ctx);
                twinWhy = null;
            } catch (DriverException e) {
                twinWhy = "twin " + p.twin() + " does not answer: " + e.getMessage();
                if (p.free() && !silentTwin.add(p.profile().id())) twinWhy += repair(p, "twin " + p.twin() + " runs but its pair member does not answer");
            }
        }
        if (twin != null || twinState != ServerState.RUNNING) silentTwin.remove(p.profile().id());
        String trouble = twin == null ? null : TwinCheck.trouble(p.twin(), primary, twin);
        if (trouble == null) {
            troubledTwin.remove(p.profile().id());
        } else if (p.free() && !troubledTwin.add(p.profile().id())) {
            trouble += repair(p, trouble);
        }
        Instant now = scheduler.now();
        Long lag = primary != null && twin != null ? TwinCheck.lag(primary, twin) : null;
        State state;
        String why;
        if (twin == null) {
            state = State.DEGRADED;
            why = twinWhy;
        } else if (lag != null && !TwinCheck.level(primary, twin, primarySeqBefore(id, primary))) {
            state = State.SYNCING;
            why = trouble != null ? trouble : "twin " + p.twin() + " is " + lag + " inputs behind" + (twin.leader() == null && !twin.leading() ? ", hearing no leader yet" : "") + "; catching up";
        } else {
            state = State.PAIRED;
            why = trouble != null ? trouble : primary == null ? "primary " + p.primary() + " does not answer: " + primaryWhy : null;
        }
        PairView before = views.put(id, new PairView(id, p.primary(), p.twin(), primary == null ? null : primary.seq(),
                twin == null ? null : twin.seq(), lag, state, why, now));
        if (before == null || before.state() != state) decisions.record(id, "lockstep pair of " + id + " " + state.wire() + (why == null ? "" : ": " + why));
        degraded(p, state, why, now);
        divergence(id, p, primary, twin, now);
    }

    /**
     * A running twin whose member does not answer: a re-pair job starts its member and syncs it in (never the
     * identity: the alias stays on the primary). Automatic, so budgeted: after a failed one the next waits a doubling
     * back-off, and past the group's retry limit none comes until an operator acts ({@code automatic-jobs-held}).
     */
    private String repair(Pair p, String reason) {
        String id = p.profile().id();
        if (!automatic.mayStart(id, JobType.REPAIR)) return "; re-pairing held back (see the profile's decisions)";
        Result r = store.submit(new CreateJob(JobType.REPAIR, id, p.primary(), JobBudget.PAIR_WATCHER, reason, scheduler.now(), p.twin()));
        silentTwin.remove(id);
        troubledTwin.remove(id);
        if (!r.ok()) {
            decisions.record(id, "no re-pair job for " + id + ": " + r.message());
            return "; no re-pair job: " + r.message();
        }
        decisions.record(id, "lockstep pair of " + id + ": re-pair job " + r.job() + " starts the member on " + p.twin()
                + " and syncs it in from the primary " + p.primary());
        return "; re-pair job " + r.job() + " syncs it in";
    }

    private void degraded(Pair p, State state, String why, Instant now) {
        String id = p.profile().id();
        boolean open = store.read(s -> s.openAlarm(AlarmType.LOCKSTEP_DEGRADED, id).isPresent());
        if (state != State.DEGRADED) {
            degradedSince.remove(id);
            if (open && state == State.PAIRED) store.submit(new ClearAlarm(AlarmType.LOCKSTEP_DEGRADED, id, now));
            return;
        }
        Instant since = degradedSince.computeIfAbsent(id, k -> now);
        // One missed answer is not a lost twin: the group's failure timeout, as for a server.
        if (!open && !now.isBefore(since.plus(p.policy().failureTimeout()))) {
            store.submit(new RaiseAlarm(AlarmType.LOCKSTEP_DEGRADED, id, "profile " + id + " runs on " + p.primary()
                    + " without a twin (" + why + "); its replies leave on the arbiter's copy until the twin holds the pair's inputs again", now));
        }
    }

    private void divergence(String id, Pair p, PairStatus primary, PairStatus twin, Instant now) {
        String text = null;
        if (primary != null && primary.divergence() != null) text = p.primary() + " diverged at input " + primary.divergence();
        if (twin != null && twin.divergence() != null) text = p.twin() + " diverged at input " + twin.divergence();
        boolean open = store.read(s -> s.openAlarm(AlarmType.LOCKSTEP_DIVERGENCE, id).isPresent());
        if (text != null && !open) {
            store.submit(new RaiseAlarm(AlarmType.LOCKSTEP_DIVERGENCE, id, "lockstep pair of " + id + ": " + text
                    + " (its digest differs from the leader's); a re-pair job has it resync from the leader", now));
        } else if (text == null && open && primary != null && twin != null) {
            store.submit(new ClearAlarm(AlarmType.LOCKSTEP_DIVERGENCE, id, now));
        }
    }
}
