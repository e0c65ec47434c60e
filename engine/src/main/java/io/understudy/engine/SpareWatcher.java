package io.understudy.engine;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.DriverException;
import io.understudy.drivers.Drivers;
import io.understudy.model.ServerState;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The hot pool checked all the time (seed 003): every idle spare of a hot or preloaded group is asked, now and then,
 * through the same path a failover's orders take, whether its agent takes orders. A heartbeat proves the agent runs;
 * only an order proves the control plane can command it (its port, its secret, its term). A spare that does not
 * answer raises {@code spare-agent-unreachable} (cleared when it answers again), so nobody learns it during a failover.
 * The check also keeps that path warm: the first order after a failure does not pay for a cold connection.
 *
 * <p>An idle spare of a cold group found running (repaired and powered on, booted by hand) no longer qualifies: it is
 * powered off again through its BMC, with a decision saying so, rather than at selection (which would add a power
 * cycle to the outage, and would leave capacity saying "insufficient" meanwhile). Like every automatic action it backs
 * off (the group's {@code retryBackoff}, doubling) and stops at {@code retryLimit} orders with a
 * {@code cold-spare-running} alarm: someone who keeps powering it on means it.
 */
final class SpareWatcher {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final StateStore store;
    private final Drivers drivers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Power-off orders given to idle cold spares found running, per spare, since it was last seen off. */
    private final java.util.Map<String, Orders> coldOrders = new ConcurrentHashMap<>();
    private Instant last;

    private record Orders(int count, Instant next) {}

    SpareWatcher(StateStore store, Drivers drivers, Scheduler scheduler, Executor executor, Decisions decisions) {
        this.store = store;
        this.drivers = drivers;
        this.scheduler = scheduler;
        this.executor = executor;
        this.decisions = decisions;
    }

    /** @param preload the profiles whose workload this spare keeps running (a preloaded standby), else empty */
    private record Check(String spare, ProfileSpec profile, List<ProfileSpec> preload) {}

    void tick() {
        Instant now = scheduler.now();
        if (last != null && now.isBefore(last.plus(EVERY))) return;
        last = now;
        long term = store.term();
        coldSparesRunning(now, term);
        for (Check c : store.read(SpareWatcher::checks)) {
            if (!inFlight.add(c.spare())) continue;
            // Off the leader's loop: an agent that does not answer takes a connect timeout to say so.
            executor.execute(() -> {
                try {
                    drivers.identity().holds(c.spare(), c.profile(), CallContext.probe(term));
                    for (ProfileSpec p : c.preload()) preload(c.spare(), p, CallContext.probe(term));
                    store.read(s -> s.openAlarm(AlarmType.SPARE_AGENT_UNREACHABLE, c.spare())).ifPresent(a ->
                            store.submit(new ClearAlarm(AlarmType.SPARE_AGENT_UNREACHABLE, c.spare(), scheduler.now())));
                } catch (DriverException e) {
                    String text = "spare " + c.spare() + " heartbeats but its agent does not take orders: " + e.getMessage();
                    if (store.read(s -> s.openAlarm(AlarmType.SPARE_AGENT_UNREACHABLE, c.spare())).isEmpty()) decisions.record(c.spare(), text);
                    store.submit(new RaiseAlarm(AlarmType.SPARE_AGENT_UNREACHABLE, c.spare(), text, scheduler.now()));
                } catch (RuntimeException e) {
                    // The state store refused (leadership lost): the next leader checks again.
                } finally {
                    inFlight.remove(c.spare());
                }
            });
        }
    }

    /** Idle spares of cold groups that run (or boot) with no job behind them: powered off again, backing off. */
    private void coldSparesRunning(Instant now, long term) {
        record Found(String spare, io.understudy.model.config.ServerSpec spec, io.understudy.model.config.GroupPolicy policy) {}
        List<String> clearLater = new ArrayList<>();
        List<Found> found = store.read(s -> {
            List<Found> out = new ArrayList<>();
            for (GroupSpec g : s.config().groups()) {
                if (g.policy().protection() != ProtectionLevel.COLD) continue;
                for (String spare : g.spares()) {
                    var r = s.server(spare);
                    if (r == null) continue;
                    boolean idle = s.profileOn(spare).isEmpty() && r.reservedBy() == null;
                    if (idle && (r.state() == ServerState.RUNNING || r.state() == ServerState.BOOTING)) {
                        out.add(new Found(spare, s.index().server(spare).orElseThrow(), g.policy()));
                    } else if (r.state() == ServerState.OFF) {
                        coldOrders.remove(spare);
                        s.openAlarm(AlarmType.COLD_SPARE_RUNNING, spare).ifPresent(a -> clearLater.add(spare));
                    }
                }
            }
            return out;
        });
        clearLater.forEach(id -> store.submit(new ClearAlarm(AlarmType.COLD_SPARE_RUNNING, id, now)));
        for (Found f : found) {
            Orders o = coldOrders.get(f.spare());
            if (o != null && now.isBefore(o.next())) continue;
            int n = o == null ? 0 : o.count();
            if (n >= f.policy().retryLimit()) {
                String text = "idle cold spare " + f.spare() + " is still running after " + n + " power-off orders: it does not qualify for a"
                        + " cold failover until it is powered off (an operator may be using it)";
                if (store.read(s -> s.openAlarm(AlarmType.COLD_SPARE_RUNNING, f.spare()).isEmpty())) {
                    store.submit(new RaiseAlarm(AlarmType.COLD_SPARE_RUNNING, f.spare(), text, now));
                    decisions.record(f.spare(), text);
                }
                continue;
            }
            Duration backoff = f.policy().backoff(n);
            coldOrders.put(f.spare(), new Orders(n + 1, now.plus(backoff)));
            if (!inFlight.add(f.spare())) continue;
            executor.execute(() -> {
                try {
                    drivers.power(f.spec()).powerOff(f.spare(), CallContext.probe(term));
                    decisions.record(f.spare(), "idle cold spare " + f.spare() + " found running: powered off to stand by again (order "
                            + (n + 1) + " of at most " + f.policy().retryLimit() + "; next not before " + io.understudy.state.Durations.format(backoff) + ")");
                } catch (DriverException e) {
                    decisions.record(f.spare(), "idle cold spare " + f.spare() + " found running; power-off refused: " + e.getMessage());
                } finally {
                    inFlight.remove(f.spare());
                }
            });
        }
    }

    /**
     * A preloaded standby runs its group's workloads already, without their aliases (MX-ONE): the control plane
     * starts any that is not running, from the newest data copy the standby keeps.
     */
    private void preload(String spare, ProfileSpec p, CallContext ctx) throws DriverException {
        if (drivers.workload().monitor(spare, p, ctx) != io.understudy.drivers.WorkloadDriver.Status.NOT_RUNNING) return;
        String from = "";
        if (p.dataDir() != null && drivers.data().isPresent()) {
            from = drivers.data().get().restore(spare, p, ctx).map(b -> " from backup " + b.name()).orElse("");
        }
        drivers.workload().start(spare, p, ctx);
        decisions.record(spare, "preloaded standby " + spare + " did not run the workload of " + p.id() + ": started it" + from);
    }

    /** Idle, running spares of hot and preloaded groups, each with a profile of its group to ask about. */
    private static List<Check> checks(ClusterState s) {
        List<Check> out = new ArrayList<>();
        for (GroupSpec g : s.config().groups()) {
            ProtectionLevel level = g.policy().protection();
            if (level != ProtectionLevel.HOT && !level.standbyRuns()) continue;
            List<ProfileSpec> profiles = s.config().profiles().stream().filter(p -> g.id().equals(p.group())).toList();
            if (profiles.isEmpty()) continue;
            ProfileSpec any = profiles.get(0);
            // A lockstep twin's member is started by a re-pair job (PairWatcher): budgeted, and shown with its steps.
            List<ProfileSpec> preload = level == ProtectionLevel.PRELOADED ? profiles : List.of();
            for (String spare : g.spares()) {
                var r = s.server(spare);
                if (r != null && r.state() == ServerState.RUNNING && s.profileOn(spare).isEmpty() && r.reservedBy() == null) {
                    out.add(new Check(spare, any, preload));
                }
            }
        }
        return out;
    }
}
