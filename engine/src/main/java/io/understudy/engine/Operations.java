package io.understudy.engine;

import io.understudy.model.ServerView;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.Location;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.policy.CapacityPlanner;
import io.understudy.model.policy.FailurePlan;
import io.understudy.model.time.Scheduler;
import io.understudy.state.JobType;
import io.understudy.state.ProfileRecord;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.LockProfile;
import io.understudy.state.command.SetMaintenance;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What operators can ask for, from the CLI, the API or the page: each turns into a replicated command (valid on any
 * node) or a read. Every answer says what happened or why not.
 */
public final class Operations {
    private final StateStore store;
    private final Scheduler scheduler;

    public Operations(StateStore store, Scheduler scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    /** Starts a failover of the server named by id, {@code enclosure/bay}, hostname or any of its addresses. */
    public Result failover(String key, String by) {
        Optional<String> server = store.read(s -> s.resolveServer(key));
        if (server.isEmpty()) return Result.refused("no server matches '" + key + "' (by id, enclosure/bay, hostname or address)");
        Optional<ProfileRecord> profile = store.read(s -> s.profileOn(server.get()));
        if (profile.isEmpty()) return Result.refused("server " + server.get() + " runs no profile; nothing to fail over");
        return store.submit(new CreateJob(JobType.FAILOVER, profile.get().id(), server.get(), by, "requested by " + by, scheduler.now()));
    }

    public Result fallback(String profile, String by) {
        ProfileRecord p = store.read(s -> s.profile(profile));
        if (p == null) return Result.refused("unknown profile '" + profile + "'");
        return store.submit(new CreateJob(JobType.FALLBACK, profile, p.server(), by, "requested by " + by, scheduler.now()));
    }

    /**
     * Starts a planned move of a running profile to the server named by any key, or (null) to the best qualified spare
     * of its group; the target is reserved when the job is created, or the move is refused saying why.
     */
    public Result move(String profile, String to, String by) {
        ProfileRecord p = store.read(s -> s.profile(profile));
        if (p == null) return Result.refused("unknown profile '" + profile + "'");
        String target = null;
        if (to != null) {
            Optional<String> server = store.read(s -> s.resolveServer(to));
            if (server.isEmpty()) return Result.refused("no server matches '" + to + "' (by id, enclosure/bay, hostname or address)");
            target = server.get();
        }
        return store.submit(new CreateJob(JobType.MOVE, profile, p.server(), by, "planned move requested by " + by, scheduler.now(), target));
    }

    public Result lock(String profile, String server, String by) {
        String id = store.read(s -> s.resolveServer(server)).orElse(server);
        return store.submit(new LockProfile(profile, id, by, scheduler.now()));
    }

    public Result unlock(String profile, String by) {
        return store.submit(new LockProfile(profile, null, by, scheduler.now()));
    }

    public Result maintenance(String group, boolean on, String by) {
        return store.submit(new SetMaintenance(group, on, by, scheduler.now()));
    }

    public Result applyConfig(DataCenterConfig config, String by) {
        return store.submit(new ApplyConfig(config, by, scheduler.now()));
    }

    /** What-if: the servers named (by any key) and every server of the named enclosures fail now. */
    public Plan plan(List<String> servers, List<String> enclosures) {
        Set<String> failing = new LinkedHashSet<>();
        for (String key : servers) {
            String id = store.read(s -> s.resolveServer(key)).orElseThrow(() ->
                    new IllegalArgumentException("no server matches '" + key + "' (by id, enclosure/bay, hostname or address)"));
            failing.add(id);
        }
        for (String enc : enclosures) {
            List<String> in = store.read(s -> s.config().servers().stream()
                    .filter(x -> Location.parse(x.location()).enclosure().equals(enc)).map(x -> x.id()).toList());
            if (in.isEmpty()) throw new IllegalArgumentException("no enclosure '" + enc + "' with servers");
            failing.addAll(in);
        }
        return store.read(s -> {
            Map<String, ProfileSpec> profiles = s.profileSpecs();
            List<ServerView> views = s.views();
            List<FailurePlan.Entry> entries = FailurePlan.plan(views, profiles, failing, s.config()::protectionOf,
                    p -> s.config().group(p.group()).map(g -> g.policy().preempt()).orElse(false));
            return new Plan(List.copyOf(failing), entries);
        });
    }

    public record Plan(List<String> failing, List<FailurePlan.Entry> entries) {}

    /** The capacity verdict of every group. */
    public Map<String, CapacityPlanner.Verdict> capacity() {
        return store.read(s -> {
            Map<String, CapacityPlanner.Verdict> m = new TreeMap<>();
            for (GroupSpec g : s.config().groups()) m.put(g.id(), CapacityWatcher.assess(s, g));
            return m;
        });
    }
}
