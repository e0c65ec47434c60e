package io.understudy.engine;

import io.understudy.model.ServerState;
import io.understudy.model.ServerView;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.policy.CapacityPlanner;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.ClusterState;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.util.List;

/** Keeps the "spare pool insufficient" alarm true: raised before anything fails when the spares cannot absorb the anticipated failures. */
public final class CapacityWatcher {
    private final StateStore store;
    private final Scheduler scheduler;

    public CapacityWatcher(StateStore store, Scheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    /**
     * The verdict for one group as things stand: the group's spares as selection sees them (the same views, the same
     * qualification rule, the recorded state — a spare whose BMC probe failed is failed, not present), so "ok" here means
     * a failover now finds a spare.
     */
    public static CapacityPlanner.Verdict assess(ClusterState s, GroupSpec g) {
        // Sets and the spares' views only: with 1,000 servers, list look-ups and every server's view each round were
        // a large share of the engine's round.
        java.util.Set<String> regulars = new java.util.HashSet<>(g.servers());
        java.util.Set<String> spareIds = new java.util.HashSet<>(g.spares());
        List<ProfileSpec> exposed = s.config().profiles().stream()
                .filter(p -> p.group().equals(g.id()))
                .filter(p -> {
                    String on = s.profile(p.id()).server();
                    return on != null && regulars.contains(on);
                }).toList();
        List<ServerView> spares = s.config().servers().stream().filter(x -> spareIds.contains(x.id())).map(x -> s.view(x.id()))
                .filter(v -> v.spare() && g.id().equals(v.group())).toList();
        return CapacityPlanner.assess(exposed, spares, g.policy().anticipatedFailures(), p -> s.config().protectionOf(p));
    }

    private static java.util.stream.Stream<String> concat(GroupSpec g) {
        return java.util.stream.Stream.concat(g.servers().stream(), g.spares().stream());
    }

    public void tick() {
        List<GroupSpec> groups = store.read(s -> s.config().groups());
        for (GroupSpec g : groups) {
            // Until every server of the group has been observed, the pool is not judged (no alarm at start-up).
            boolean observed = store.read(s -> concat(g).allMatch(id -> s.server(id).state() != ServerState.UNKNOWN));
            if (!observed) continue;
            CapacityPlanner.Verdict v = store.read(s -> assess(s, g));
            String text = "group " + g.id() + ": " + v.reason();
            boolean open = store.read(s -> s.openAlarm(AlarmType.SPARE_POOL_INSUFFICIENT, g.id()).map(a -> a.text().equals(text)).orElse(false));
            boolean any = store.read(s -> s.openAlarm(AlarmType.SPARE_POOL_INSUFFICIENT, g.id()).isPresent());
            if (!v.sufficient() && !open) store.submit(new RaiseAlarm(AlarmType.SPARE_POOL_INSUFFICIENT, g.id(), text, scheduler.now()));
            if (v.sufficient() && any) store.submit(new ClearAlarm(AlarmType.SPARE_POOL_INSUFFICIENT, g.id(), scheduler.now()));
        }
    }
}
