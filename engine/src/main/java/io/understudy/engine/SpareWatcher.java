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
 */
final class SpareWatcher {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final StateStore store;
    private final Drivers drivers;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Decisions decisions;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private Instant last;

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
            if (level != ProtectionLevel.HOT && level != ProtectionLevel.PRELOADED) continue;
            List<ProfileSpec> profiles = s.config().profiles().stream().filter(p -> g.id().equals(p.group())).toList();
            if (profiles.isEmpty()) continue;
            ProfileSpec any = profiles.get(0);
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
