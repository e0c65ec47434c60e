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
     * Re-pairs a lockstep profile by hand: its twin (the other server of its 1:1 group) has its member started and synced
     * in from the primary. Also what lifts a held automatic re-pairing: an operator's job starts the count afresh.
     */
    public Result rePair(String profile, String by) {
        record Pair(String primary, String twin, String refusal) {}
        Pair pair = store.read(s -> {
            ProfileRecord p = s.profile(profile);
            if (p == null) return new Pair(null, null, "unknown profile '" + profile + "'");
            if (s.config().protectionOf(s.index().profile(profile).orElseThrow()) != io.understudy.model.config.ProtectionLevel.LOCKSTEP) {
                return new Pair(null, null, "profile " + profile + " is not lockstep; only a lockstep pair is re-paired");
            }
            if (p.server() == null) return new Pair(null, null, "profile " + profile + " is down; a twin syncs from a running primary");
            var g = s.index().profile(profile).flatMap(spec -> s.index().group(spec.group())).orElse(null);
            String twin = g == null ? null : PairWatcher.twinOf(g, p.server());
            return new Pair(p.server(), twin, twin == null ? "profile " + profile + " has no twin (a lockstep pair is a 1:1 group)" : null);
        });
        if (pair.refusal() != null) return Result.refused(pair.refusal());
        return store.submit(new CreateJob(JobType.REPAIR, profile, pair.primary(), by, "re-pair requested by " + by, scheduler.now(), pair.twin()));
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

    /** What a drain or undrain did: the servers it covered, the move jobs it started, and each profile it left and why. */
    public record Drain(boolean ok, String message, List<String> servers, List<Move> moves, Map<String, String> left) {}

    /** A move a drain or undrain started: profile, job, from, to. */
    public record Move(String profile, long job, String from, String to) {}

    /** A move a drain would start: the profile, where it runs, where it would go (null: nowhere, with why). */
    public record PlannedMove(String profile, String from, String to, String why) {}

    /** What a drain of these servers would do, read on one consistent state; nothing is changed. */
    public record DrainPlan(List<String> servers, List<PlannedMove> moves, Map<String, String> nowhere) {}

    /**
     * What draining servers (named by any key) and every server of the named enclosures would do: each profile running
     * there, best priority first, goes to its home if that is free and not drained, else to the smallest qualified
     * spare of its group; targets taken by an earlier profile of the plan are not offered again.
     */
    public DrainPlan drainPlan(List<String> servers, List<String> enclosures) {
        Set<String> drained = resolve(servers, enclosures);
        List<PlannedMove> plan = store.read(s -> {
            List<PlannedMove> out = new java.util.ArrayList<>();
            Set<String> taken = new java.util.HashSet<>();
            List<ProfileSpec> here = s.config().profiles().stream()
                    .filter(p -> s.profile(p.id()) != null && s.profile(p.id()).server() != null && drained.contains(s.profile(p.id()).server()))
                    .sorted(FailurePlan.PRIORITY_ORDER).toList();
            for (ProfileSpec p : here) {
                String from = s.profile(p.id()).server();
                if (s.profile(p.id()).activeJob() != null) {
                    out.add(new PlannedMove(p.id(), from, null, "job " + s.profile(p.id()).activeJob() + " is moving it"));
                    continue;
                }
                ServerView home = s.view(p.home());
                boolean homeFree = !drained.contains(home.id()) && !home.drained() && home.state() == io.understudy.model.ServerState.RUNNING
                        && home.profile() == null && home.reservedBy() == null && !taken.contains(home.id())
                        && io.understudy.model.policy.SpareQualification.fit(home, p).isEmpty();
                if (homeFree) {
                    taken.add(home.id());
                    out.add(new PlannedMove(p.id(), from, home.id(), null));
                    continue;
                }
                List<ServerView> spares = s.views().stream().filter(v -> v.spare() && p.group().equals(v.group())
                        && !drained.contains(v.id()) && !taken.contains(v.id())).toList();
                var choice = io.understudy.model.policy.SpareSelection.choose(spares, p, s.config().protectionOf(p));
                if (choice.spare().isPresent()) {
                    taken.add(choice.spare().get().id());
                    out.add(new PlannedMove(p.id(), from, choice.spare().get().id(), null));
                } else {
                    out.add(new PlannedMove(p.id(), from, null, choice.explain()));
                }
            }
            return out;
        });
        Map<String, String> nowhere = new TreeMap<>();
        for (PlannedMove p : plan) if (p.to() == null) nowhere.put(p.profile(), p.why());
        return new DrainPlan(List.copyOf(drained), plan, nowhere);
    }

    /**
     * Drains servers (named by any key) and every server of the named enclosures as {@link #drainPlan} plans it, and
     * marks the servers drained so nothing lands on them. Refused, with nothing changed, when some profile would have
     * nowhere to go — unless {@code force}, which moves what can be moved and lists the rest.
     */
    public Drain drain(List<String> servers, List<String> enclosures, boolean force, String by) {
        DrainPlan planned = drainPlan(servers, enclosures);
        List<PlannedMove> plan = planned.moves();
        Map<String, String> nowhere = planned.nowhere();
        List<String> list = planned.servers();
        if (!nowhere.isEmpty() && !force) {
            return new Drain(false, "drain refused, nothing changed: " + nowhere.size() + " profile(s) would have nowhere to go ("
                    + String.join("; ", nowhere.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList())
                    + "); --force moves the others and leaves these where they are", list, List.of(), nowhere);
        }
        for (String server : list) store.submit(new io.understudy.state.command.SetDrain(server, true, by, scheduler.now()));
        List<Move> moves = new java.util.ArrayList<>();
        Map<String, String> left = new TreeMap<>(nowhere);
        for (PlannedMove p : plan) {
            if (p.to() == null) continue;
            Result r = store.submit(new CreateJob(JobType.MOVE, p.profile(), p.from(), by, "drain of " + p.from() + " by " + by,
                    scheduler.now(), p.to()));
            if (r.ok()) moves.add(new Move(p.profile(), r.job(), p.from(), p.to()));
            else left.put(p.profile(), r.message());
        }
        String what = "drained " + String.join(", ", list) + "; " + moves.size() + " move(s) started"
                + (left.isEmpty() ? "" : "; left where they are: " + String.join(", ", left.keySet()));
        return new Drain(true, what, list, moves, left);
    }

    /**
     * Ends the drain of servers (any key) and of every server of the named enclosures; a profile a planned move took
     * away from one of them is moved home if its fallback is automatic, and listed (left where it is) if manual.
     */
    public Drain undrain(List<String> servers, List<String> enclosures, String by) {
        Set<String> back = resolve(servers, enclosures);
        List<String> list = List.copyOf(back);
        for (String server : list) store.submit(new io.understudy.state.command.SetDrain(server, false, by, scheduler.now()));
        List<Move> moves = new java.util.ArrayList<>();
        Map<String, String> left = new TreeMap<>();
        List<ProfileSpec> away = store.read(s -> s.config().profiles().stream()
                .filter(p -> back.contains(p.home()) && s.profile(p.id()) != null && s.profile(p.id()).planned())
                .sorted(FailurePlan.PRIORITY_ORDER).toList());
        for (ProfileSpec p : away) {
            String on = store.read(s -> s.profile(p.id()).server());
            if (p.fallback() != io.understudy.model.config.FallbackMode.AUTOMATIC) {
                left.put(p.id(), "stays on " + on + " (manual fallback: 'understudy move " + p.id() + " --to " + p.home() + "')");
                continue;
            }
            Result r = store.submit(new CreateJob(JobType.MOVE, p.id(), on, by, "undrain of " + p.home() + " by " + by, scheduler.now(), p.home()));
            if (r.ok()) moves.add(new Move(p.id(), r.job(), on, p.home()));
            else left.put(p.id(), r.message());
        }
        String what = "back in service: " + String.join(", ", list) + "; " + moves.size() + " move(s) home started"
                + (left.isEmpty() ? "" : "; left where they are: " + String.join(", ", left.keySet()));
        return new Drain(true, what, list, moves, left);
    }

    /**
     * Servers by any key (a name that is no server's but an enclosure's stands for its servers) plus every server of
     * the named enclosures; an unknown name is an error naming it.
     */
    private Set<String> resolve(List<String> servers, List<String> enclosures) {
        Set<String> out = new java.util.TreeSet<>();
        for (String key : servers) {
            Optional<String> server = store.read(s -> s.resolveServer(key));
            List<String> in = server.isPresent() ? List.of(server.get()) : store.read(s -> s.config().servers().stream()
                    .filter(x -> Location.parse(x.location()).enclosure().equals(key)).map(x -> x.id()).toList());
            if (in.isEmpty()) throw new IllegalArgumentException("no server matches '" + key + "' (by id, enclosure/bay, hostname or address), nor any enclosure");
            out.addAll(in);
        }
        for (String enc : enclosures) {
            List<String> in = store.read(s -> s.config().servers().stream()
                    .filter(x -> Location.parse(x.location()).enclosure().equals(enc)).map(x -> x.id()).toList());
            if (in.isEmpty()) throw new IllegalArgumentException("no enclosure '" + enc + "' with servers");
            out.addAll(in);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("name at least one server or enclosure");
        return out;
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
