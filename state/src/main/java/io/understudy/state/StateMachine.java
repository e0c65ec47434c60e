package io.understudy.state;

import io.understudy.model.Resources;
import io.understudy.model.ServerState;
import io.understudy.model.config.ConfigError;
import io.understudy.model.config.ConfigValidator;
import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ServerSpec;
import io.understudy.model.policy.SpareQualification;
import io.understudy.state.command.ApplyConfig;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.Command;
import io.understudy.state.command.ConfirmFence;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.LockProfile;
import io.understudy.state.command.MoveProfile;
import io.understudy.state.command.ObserveServer;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.state.command.RecordHookAttempt;
import io.understudy.state.command.ReportResources;
import io.understudy.state.command.ReserveSpare;
import io.understudy.state.command.SetDrain;
import io.understudy.state.command.SetMaintenance;
import io.understudy.state.command.StartStep;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Applies commands to the {@link ClusterState}, in log order, deterministically: no clock reads, no I/O. A refused
 * command changes nothing. The guards here are where invariants 1–4 are enforced for every replica, whatever
 * the engine on the leader believes.
 */
public final class StateMachine {
    /**
     * Finished jobs and cleared alarms kept for history; older ones are dropped deterministically. A running job, and
     * a job an open alarm names ("job N" in its text), is never dropped.
     */
    static final int HISTORY = 1000;
    private static final java.util.regex.Pattern JOB_NAMED = java.util.regex.Pattern.compile("\\bjob (\\d+)\\b");
    static final int FALLBACK_HISTORY = 20;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private ClusterState state = new ClusterState();

    public <T> T read(Function<ClusterState, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(state);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Result apply(Command command, long index) {
        lock.writeLock().lock();
        try {
            DataCenterConfig before = state.config;
            Result r = dispatch(command);
            state.reindex(before != state.config);
            state.appliedIndex = Math.max(state.appliedIndex, index);
            return r;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public ClusterState.Snapshot snapshot() {
        return read(ClusterState::snapshot);
    }

    public void restore(ClusterState.Snapshot s) {
        lock.writeLock().lock();
        try {
            state = ClusterState.restore(s);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Result dispatch(Command c) {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete by review.
        if (c instanceof ApplyConfig a) return applyConfig(a);
        if (c instanceof ObserveServer o) return observe(o);
        if (c instanceof ConfirmFence f) return confirmFence(f);
        if (c instanceof CreateJob j) return createJob(j);
        if (c instanceof StartStep s) return startStep(s);
        if (c instanceof FinishStep f) return finishStep(f);
        if (c instanceof ReserveSpare r) return reserve(r);
        if (c instanceof MoveProfile m) return move(m);
        if (c instanceof SetDrain d) return drain(d);
        if (c instanceof RaiseAlarm a) return raise(a.alarm(), a.subject(), a.text(), a.at());
        if (c instanceof ClearAlarm a) return clear(a.alarm(), a.subject(), a.at());
        if (c instanceof SetMaintenance m) return maintenance(m);
        if (c instanceof LockProfile l) return lockProfile(l);
        if (c instanceof ReportResources r) return reportResources(r);
        if (c instanceof RecordHookAttempt h) return recordHookAttempt(h);
        throw new IllegalStateException("unhandled command " + c.getClass().getSimpleName());
    }

    private Result applyConfig(ApplyConfig a) {
        DataCenterConfig next = a.config();
        List<ConfigError> errors = ConfigValidator.validate(next);
        if (!errors.isEmpty()) {
            return Result.refused("invalid configuration: " + String.join("; ", errors.stream().map(ConfigError::toString).toList()));
        }
        for (ProfileRecord p : state.profiles.values()) {
            ProfileSpec spec = next.profile(p.id()).orElse(null);
            if (p.activeJob() != null && (spec == null || !spec.group().equals(state.index().profile(p.id()).map(ProfileSpec::group).orElse(null)))) {
                return Result.refused("profile " + p.id() + " has job " + p.activeJob() + " running; wait for it to end");
            }
            if (p.server() == null) continue;
            if (spec == null) {
                if (!Objects.equals(p.server(), state.index().profile(p.id()).map(ProfileSpec::home).orElse(null))) {
                    return Result.refused("profile " + p.id() + " runs on spare " + p.server() + "; fall it back before removing it");
                }
                continue;
            }
            GroupSpec g = next.group(spec.group()).orElseThrow();
            if (!g.servers().contains(p.server()) && !g.spares().contains(p.server())) {
                return Result.refused("profile " + p.id() + " runs on " + p.server()
                        + ", which the change removes from group " + g.id() + " (it would be orphaned)");
            }
        }
        for (ServerRecord s : state.servers.values()) {
            if (s.reservedBy() != null && next.server(s.id()).isEmpty()) {
                return Result.refused("server " + s.id() + " is reserved by job " + s.reservedBy());
            }
        }
        // Accepted: everything below changes the state, as one step.
        state.config = next;
        state.servers.keySet().removeIf(id -> next.server(id).isEmpty());
        next.servers().forEach(s -> state.servers.putIfAbsent(s.id(), new ServerRecord(s.id(), ServerState.UNKNOWN, "configured", a.at(), null)));
        state.profiles.keySet().removeIf(id -> next.profile(id).isEmpty());
        next.profiles().forEach(p -> state.profiles.putIfAbsent(p.id(), new ProfileRecord(p.id(), p.home(), null, List.of(), null, "configured", false)));
        state.maintenance.removeIf(g -> next.group(g).isEmpty());
        // A server's configured resources may have changed, or the server gone: its mismatch is judged again.
        for (Alarm open : List.copyOf(state.openAlarms())) {
            if (open.type() == AlarmType.RESOURCES_MISMATCH && !state.servers.containsKey(open.subject())) clear(AlarmType.RESOURCES_MISMATCH, open.subject(), a.at());
        }
        for (ServerRecord s : state.servers.values()) {
            if (s.reported() != null) judgeResources(next.server(s.id()).orElseThrow(), s.reported(), a.at());
        }
        audit(a.at(), a.by(), "applied configuration '" + next.name() + "': " + next.servers().size() + " servers, "
                + next.groups().size() + " groups, " + next.profiles().size() + " profiles");
        return Result.ok("configuration applied by " + a.by() + ": " + next.servers().size() + " servers, "
                + next.groups().size() + " groups, " + next.profiles().size() + " profiles");
    }

    private Result observe(ObserveServer o) {
        ServerRecord s = state.servers.get(o.server());
        if (s == null) return Result.refused("unknown server '" + o.server() + "'");
        if (o.state() == ServerState.FENCED) return Result.refused("a server is fenced only by a confirmed power-off (confirm-fence)");
        if (s.state() == ServerState.FENCED && o.state() == ServerState.FAILED) return Result.ok(o.server() + " is already fenced");
        if (o.state() == ServerState.OFF) preempted(s, o.at());
        if (s.state() == o.state() && Objects.equals(s.reason(), o.reason())) return Result.ok("unchanged");
        state.servers.put(s.id(), s.with(o.state(), o.reason(), o.at()));
        return Result.ok(o.server() + " " + s.state().wire() + " -> " + o.state().wire() + ": " + o.reason());
    }

    /** A spare reserved to preempt its profile reads off: only now is that profile down. */
    private void preempted(ServerRecord spare, Instant at) {
        Job j = spare.reservedBy() == null ? null : state.jobs.get(spare.reservedBy());
        if (j == null || j.victim() == null || !j.active()) return;
        ProfileRecord v = state.profiles.get(j.victim());
        if (v == null || !Objects.equals(v.server(), spare.id())) return;
        ProfileSpec vs = state.index().profile(v.id()).orElse(null);
        ProfileSpec mine = state.index().profile(j.profile()).orElse(null);
        state.profiles.put(v.id(), v.onServer(null, "preempted by " + j.profile() + " (job " + j.id() + ")"));
        clear(AlarmType.PROFILE_ON_SPARE, v.id(), at);
        raise(AlarmType.PROFILE_DOWN, v.id(), "profile " + v.id() + (vs == null ? "" : " (priority " + vs.priority() + ")")
                + " preempted on " + spare.id() + " by " + j.profile() + (mine == null ? "" : " (priority " + mine.priority() + ")")
                + ", job " + j.id(), at);
    }

    private Result confirmFence(ConfirmFence f) {
        ServerRecord s = state.servers.get(f.server());
        if (s == null) return Result.refused("unknown server '" + f.server() + "'");
        Job j = state.jobs.get(f.job());
        if (j == null || !j.active()) return Result.refused("job " + f.job() + " is not running");
        state.servers.put(s.id(), s.with(ServerState.FENCED, f.how(), f.at()));
        return Result.ok(f.server() + " fenced: " + f.how());
    }

    private Result createJob(CreateJob c) {
        ProfileRecord p = state.profiles.get(c.profile());
        ProfileSpec spec = state.index().profile(c.profile()).orElse(null);
        if (p == null || spec == null) return Result.refused("unknown profile '" + c.profile() + "'");
        if (p.activeJob() != null) return Result.refused("profile " + p.id() + " already has job " + p.activeJob() + " running");
        if (p.lockedTo() != null) return Result.refused("profile " + p.id() + " is locked to " + p.lockedTo() + "; unlock it first");
        if (JobBudget.automatic(c.startedBy())) {
            // Invariant 6 on every replica, whatever the leader's engine believes: automatic jobs back off and stop.
            JobBudget.Verdict budget = JobBudget.check(state, p.id(), c.type(), c.at());
            if (!budget.allowed()) return Result.refused("no automatic " + c.type().wire() + " for " + p.id() + ": " + budget.reason());
        }
        String target = null;
        switch (c.type()) {
            case FAILOVER -> {
                if (!Objects.equals(p.server(), c.source())) {
                    return Result.refused("profile " + p.id() + " does not run on " + c.source()
                            + (p.server() == null ? " (it is down)" : " (it runs on " + p.server() + ")"));
                }
            }
            case FALLBACK -> {
                if (Objects.equals(p.server(), spec.home())) return Result.refused("profile " + p.id() + " already runs on its home server " + spec.home());
                ServerRecord home = state.servers.get(spec.home());
                if (home == null || home.state() != ServerState.RUNNING) {
                    return Result.refused("home server " + spec.home() + " of " + p.id() + " is not running ("
                            + (home == null ? "unknown" : home.state().wire()) + ")");
                }
                if (home.reservedBy() != null) return Result.refused("home server " + spec.home() + " is reserved by job " + home.reservedBy());
                if (home.drained()) return Result.refused("home server " + spec.home() + " of " + p.id() + " is drained for maintenance");
                if (!Objects.equals(p.server(), c.source())) return Result.refused("profile " + p.id() + " does not run on " + c.source());
                target = spec.home();
            }
            case MOVE -> {
                if (p.server() == null) return Result.refused("profile " + p.id() + " is down; a planned move takes a running profile");
                if (!Objects.equals(p.server(), c.source())) return Result.refused("profile " + p.id() + " does not run on " + c.source());
                ServerRecord src = state.servers.get(p.server());
                if (src == null || src.state() != ServerState.RUNNING) {
                    return Result.refused("source " + p.server() + " of " + p.id() + " is " + (src == null ? "unknown" : src.state().wire())
                            + "; a planned move needs a healthy source (a failover fences one that is not)");
                }
                if (c.target() == null) {
                    GroupSpec g = state.index().group(spec.group()).orElse(null);
                    List<io.understudy.model.ServerView> spares = state.views().stream().filter(v -> v.spare() && g != null && g.id().equals(v.group())).toList();
                    var choice = io.understudy.model.policy.SpareSelection.choose(spares, spec, state.config.protectionOf(spec));
                    if (choice.spare().isEmpty()) return Result.refused("no spare can take " + p.id() + ": " + choice.explain());
                    target = choice.spare().get().id();
                } else {
                    String refusal = moveTarget(spec, p, c.target());
                    if (refusal != null) return Result.refused(refusal);
                    target = c.target();
                }
            }
            case REPAIR -> {
                String refusal = repairTarget(spec, p, c.source(), c.target());
                if (refusal != null) return Result.refused(refusal);
                target = c.target();
            }
        }
        long id = state.nextJob++;
        GroupSpec group = state.index().group(spec.group()).orElse(null);
        HookEvent veto = c.type().vetoEvent();
        boolean preHook = veto != null && !state.config.hooksFor(spec.group(), veto).isEmpty();
        List<Step> steps = c.type().steps(group == null ? null : group.policy(), preHook, !spec.after().isEmpty()).stream().map(n -> new Step(n, Step.Status.PENDING, null, null, null)).toList();
        state.jobs.put(id, new Job(id, c.type(), spec.group(), p.id(), c.source(), target, Job.Status.RUNNING, steps,
                c.startedBy(), c.reason(), c.at(), null, null, null));
        state.profiles.put(p.id(), p.job(id));
        if (target != null) state.servers.put(target, state.servers.get(target).reserved(id));
        prune();
        String what = switch (c.type()) {
            case FAILOVER -> "profile " + p.id() + " leaves " + c.source();
            case FALLBACK -> "profile " + p.id() + " returns home to " + target;
            case MOVE -> "profile " + p.id() + " moves from " + c.source() + " to " + target + " (" + target + " reserved)";
            case REPAIR -> "lockstep pair of " + p.id() + ": twin " + target + " is started and synced in from the primary " + c.source()
                    + " (" + target + " reserved)";
        };
        return new Result(true, what, id);
    }

    /**
     * Why {@code twin} cannot be synced in as the twin of a lockstep profile running on {@code primary}, or null: the
     * profile is lockstep and runs on the primary, and the twin is the other server of its 1:1 group, present,
     * running, free (no profile, no reservation) and not drained.
     */
    private String repairTarget(ProfileSpec profile, ProfileRecord p, String primary, String twin) {
        if (state.config.protectionOf(profile) != io.understudy.model.config.ProtectionLevel.LOCKSTEP) {
            return "profile " + p.id() + " is not lockstep; only a lockstep pair is re-paired";
        }
        if (p.server() == null || !p.server().equals(primary)) {
            return "profile " + p.id() + (p.server() == null ? " is down" : " runs on " + p.server()) + ", not on " + primary + "; the twin syncs from a running primary";
        }
        GroupSpec g = state.index().group(profile.group()).orElse(null);
        if (twin == null || g == null || !(g.servers().contains(twin) || g.spares().contains(twin)) || twin.equals(primary)) {
            return "twin: expected the other server of group " + profile.group() + ", got '" + twin + "'";
        }
        ServerRecord t = state.servers.get(twin);
        if (t == null) return "unknown server '" + twin + "'";
        if (t.state() != ServerState.RUNNING) return "twin " + twin + " is " + t.state().wire() + ", not running";
        if (t.reservedBy() != null) return "twin " + twin + " is reserved by job " + t.reservedBy();
        if (t.drained()) return "twin " + twin + " is drained for maintenance";
        if (state.profileOn(twin).isPresent()) return "twin " + twin + " runs profile " + state.profileOn(twin).get().id();
        return null;
    }

    /**
     * Why {@code target} cannot take {@code profile} in a planned move, or null: a server of the profile's group (a
     * spare or a regular server) other than the source, present, free (no profile, no reservation) and fit; a spare
     * also in the power state the profile's protection level expects of it.
     */
    private String moveTarget(ProfileSpec profile, ProfileRecord p, String target) {
        GroupSpec g = state.index().group(profile.group()).orElse(null);
        if (state.servers.get(target) == null || state.index().server(target).isEmpty()) return "unknown server '" + target + "'";
        if (g == null || !(g.servers().contains(target) || g.spares().contains(target))) {
            return target + " is not a server of group " + profile.group() + " (a profile moves within its group)";
        }
        if (target.equals(p.server())) return "profile " + p.id() + " already runs on " + target;
        var view = state.view(target);
        if (view.spare()) {
            return SpareQualification.disqualification(view, profile, state.config.protectionOf(profile))
                    .map(why -> target + " cannot take " + p.id() + ": " + why).orElse(null);
        }
        if (view.profile() != null) return target + " cannot take " + p.id() + ": it runs profile " + view.profile();
        if (view.drained()) return target + " cannot take " + p.id() + ": drained for maintenance";
        if (view.reservedBy() != null) return target + " cannot take " + p.id() + ": reserved by job " + view.reservedBy();
        if (view.state() != ServerState.RUNNING) return target + " cannot take " + p.id() + ": it is " + view.state().wire() + ", not running";
        return SpareQualification.fit(view, profile).map(why -> target + " cannot take " + p.id() + ": " + why).orElse(null);
    }

    private Result startStep(StartStep s) {
        Job j = state.jobs.get(s.job());
        if (j == null || !j.active()) return Result.refused("job " + s.job() + " is not running");
        if (s.step() != j.currentStep()) return Result.refused("job " + j.id() + " is at step " + j.currentStep() + ", not " + s.step());
        Step st = j.steps().get(s.step());
        Instant started = st.started() != null ? st.started() : s.at();
        String message = st.status() == Step.Status.RUNNING ? "resumed after an interruption" : null;
        state.jobs.put(j.id(), j.withStep(s.step(), new Step(st.name(), Step.Status.RUNNING, started, null, message)));
        return Result.ok("job " + j.id() + " step " + st.name() + " started");
    }

    private Result finishStep(FinishStep f) {
        Job j = state.jobs.get(f.job());
        if (j == null || !j.active()) return Result.refused("job " + f.job() + " is not running");
        Step st = j.steps().get(f.step());
        if (st.status() != Step.Status.RUNNING) return Result.refused("job " + j.id() + " step " + st.name() + " is " + st.status() + ", not running");
        if (!f.outcome().finished()) return Result.refused("a step finishes as done, failed or skipped");
        j = j.withStep(f.step(), new Step(st.name(), f.outcome(), st.started(), f.at(), f.message()));
        if (f.outcome() == Step.Status.FAILED) {
            strand(j, st.name(), f.message(), f.at(), f.targetMayHold());
            j = j.ended(Job.Status.FAILED, f.at(), st.name() + ": " + f.message());
            endJob(j);
        } else if (j.currentStep() < 0) {
            j = j.ended(Job.Status.SUCCEEDED, f.at(), f.message());
            endJob(j);
        } else if (f.startNext() && f.outcome() == Step.Status.DONE) {
            int next = j.currentStep();
            Step n = j.steps().get(next);
            j = j.withStep(next, new Step(n.name(), Step.Status.RUNNING, f.at(), null, null));
        }
        state.jobs.put(j.id(), j);
        return Result.ok("job " + j.id() + " step " + st.name() + " " + f.outcome().name().toLowerCase());
    }

    private void endJob(Job j) {
        ProfileRecord p = state.profiles.get(j.profile());
        if (p != null && Objects.equals(p.activeJob(), j.id())) state.profiles.put(p.id(), p.job(null));
        state.servers.replaceAll((id, s) -> Objects.equals(s.reservedBy(), j.id()) ? s.reserved(null) : s);
        // Whatever ended the job, its wait for a spare is over; a new failure raises the alarm again.
        clear(AlarmType.PROFILE_AT_RISK, j.profile(), j.ended() != null ? j.ended() : j.created());
        HookQueue.jobEnded(state, j);
    }

    /**
     * A job failing after move-profile leaves nothing running on its target: the profile is down (no server), with a
     * profile-down alarm naming the job, and the target is a plain spare (or home server) again, not "running" it.
     * Unless the target could not be confirmed clear (it kept the identity and did not read off): then the profile
     * stays recorded on the target, still with the alarm, so that nothing starts it elsewhere while the target may
     * still answer for it; a later failover from the target fences it first (invariant 1).
     */
    private void strand(Job j, String step, String why, Instant at, boolean targetMayHold) {
        ProfileRecord p = state.profiles.get(j.profile());
        if (p == null || j.target() == null || !j.stepDone("move-profile") || !Objects.equals(p.server(), j.target())) return;
        String failed = j.type().wire() + " job " + j.id() + " failed at " + step;
        if (targetMayHold) {
            state.profiles.put(p.id(), p.onServer(j.target(), failed + "; " + j.target() + " not confirmed clear of it"));
            raise(AlarmType.PROFILE_DOWN, p.id(), "profile " + p.id() + " is down: " + failed + " after moving it to "
                    + j.target() + " (" + why + "); " + j.target() + " may still hold its identity, so it stays recorded there "
                    + "and is started nowhere else until " + j.target() + " is fenced or gives it up", at);
            return;
        }
        state.profiles.put(p.id(), p.onServer(null, failed));
        clear(AlarmType.PROFILE_ON_SPARE, p.id(), at);
        raise(AlarmType.PROFILE_DOWN, p.id(), "profile " + p.id() + " is down: " + failed + " after moving it to "
                + j.target() + " (" + why + "); it runs nowhere", at);
    }

    private Result reserve(ReserveSpare r) {
        Job j = state.jobs.get(r.job());
        if (j == null || !j.active()) return Result.refused("job " + r.job() + " is not running");
        if (j.target() != null) {
            return j.target().equals(r.spare()) ? Result.ok("already reserved") : Result.refused("job " + j.id() + " already holds " + j.target());
        }
        ServerRecord s = state.servers.get(r.spare());
        GroupSpec g = state.index().group(j.group()).orElse(null);
        if (s == null || g == null || !g.spares().contains(r.spare())) return Result.refused(r.spare() + " is not a spare of group " + j.group());
        if (s.reservedBy() != null) return Result.refused(r.spare() + " is reserved by job " + s.reservedBy());
        ProfileSpec mine = state.index().profile(j.profile()).orElseThrow();
        if (SpareQualification.fit(state.view(r.spare()), mine).isPresent()) {
            return Result.refused(r.spare() + " does not fit " + mine.id() + ": " + SpareQualification.fit(state.view(r.spare()), mine).get());
        }
        var holder = state.profileOn(r.spare());
        if (r.victim() == null && holder.isPresent()) return Result.refused(r.spare() + " runs profile " + holder.get().id());
        if (r.victim() != null) {
            if (holder.isEmpty() || !holder.get().id().equals(r.victim())) return Result.refused(r.spare() + " does not run " + r.victim());
            ProfileRecord v = holder.get();
            ProfileSpec vs = state.index().profile(v.id()).orElseThrow();
            if (vs.priority() <= mine.priority()) return Result.refused(v.id() + " has priority " + vs.priority() + ", not worse than " + mine.priority());
            if (v.activeJob() != null || v.lockedTo() != null) return Result.refused(v.id() + " is busy or locked");
            // The victim stays recorded on the spare until the spare reads off (observe): it still runs there, and
            // a profile recorded down while it runs could be started elsewhere (found by InvariantProperties).
        }
        state.servers.put(s.id(), s.reserved(j.id()));
        state.jobs.put(j.id(), j.withTarget(r.spare(), r.victim()));
        clear(AlarmType.PROFILE_AT_RISK, j.profile(), r.at());
        return Result.ok(r.spare() + " reserved for job " + j.id() + ": " + r.why());
    }

    private Result move(MoveProfile m) {
        Job j = state.jobs.get(m.job());
        if (j == null || !j.active()) return Result.refused("job " + m.job() + " is not running");
        ProfileRecord p = state.profiles.get(j.profile());
        if (j.target() == null) return Result.refused("job " + j.id() + " has no target yet");
        if (Objects.equals(p.server(), j.target())) return Result.ok("already moved");
        ServerRecord target = state.servers.get(j.target());
        if (!Objects.equals(target.reservedBy(), j.id())) return Result.refused(j.target() + " is not reserved by job " + j.id());
        if (state.profileOn(j.target()).isPresent()) return Result.refused(j.target() + " still holds another identity");
        switch (j.type()) {
            case FAILOVER -> {
                ServerRecord src = state.servers.get(j.source());
                // Invariant 2: the identity leaves a failed server only once that server is confirmed off.
                if (src != null && src.state() != ServerState.FENCED) {
                    return Result.refused("source " + j.source() + " is not fenced (" + src.state().wire() + "); nothing moves before a confirmed fence");
                }
            }
            case FALLBACK -> {
                if (!j.stepDone("release-spare")) return Result.refused("the spare has not released the identity yet");
            }
            case REPAIR -> {
                return Result.refused("job " + j.id() + " re-pairs " + p.id() + "; it moves nothing");
            }
            case MOVE -> {
                // Invariant 1 without a fence: the source confirmed it gave the identity up, or was powered off.
                if (!j.stepDone("release-source")) return Result.refused("the source has not released the identity yet");
            }
        }
        ProfileRecord moved = p.onServer(j.target(), j.type().wire() + " job " + j.id());
        if (j.type() == JobType.FALLBACK) moved = moved.fellBack(m.at(), FALLBACK_HISTORY);
        ProfileSpec movedSpec = state.index().profile(p.id()).orElse(null);
        if (j.type() == JobType.MOVE && movedSpec != null && !j.target().equals(movedSpec.home())) moved = moved.plannedMove();
        state.profiles.put(p.id(), moved);
        return Result.ok("profile " + p.id() + " moved from " + j.source() + " to " + j.target());
    }

    private Result reportResources(ReportResources r) {
        ServerRecord s = state.servers.get(r.server());
        ServerSpec spec = state.config.server(r.server()).orElse(null);
        if (s == null || spec == null) return Result.refused("unknown server '" + r.server() + "'");
        if (r.reported() == null) return Result.refused("a report of " + r.server() + " names no resources");
        if (r.reported().equals(s.reported())) return Result.ok("unchanged");
        state.servers.put(s.id(), s.reporting(r.reported()));
        judgeResources(spec, r.reported(), r.at());
        Resources has = r.reported();
        return Result.ok(r.server() + " reports " + has.model() + ", " + has.cores() + " cores, " + has.memoryGib() + " GiB");
    }

    /** Raises {@code resources-mismatch} for a server that reports less than configured (or another model), clears it when it fits. */
    private void judgeResources(ServerSpec spec, Resources reported, Instant at) {
        var shortfall = Resources.configured(spec).shortfall(reported);
        if (shortfall.isPresent()) {
            raise(AlarmType.RESOURCES_MISMATCH, spec.id(), "server " + spec.id() + "'s agent reports other resources than configured: "
                    + shortfall.get() + "; it is judged by what it reports", at);
        } else {
            clear(AlarmType.RESOURCES_MISMATCH, spec.id(), at);
        }
    }

    private Result raise(AlarmType type, String subject, String text, Instant at) {
        var open = state.openAlarm(type, subject);
        if (open.isPresent()) {
            Alarm a = open.get();
            if (Objects.equals(a.text(), text)) return Result.ok("alarm " + a.id() + " already open");
            state.alarms.put(a.id(), new Alarm(a.id(), type, subject, text, a.raised(), null));
            return Result.ok("alarm " + a.id() + " updated");
        }
        long id = state.nextAlarm++;
        state.alarms.put(id, new Alarm(id, type, subject, text, at, null));
        HookQueue.alarm(state, HookEvent.ALARM_RAISED, state.alarms.get(id), at);
        prune();
        return new Result(true, "alarm " + id + " raised: " + type.wire() + " " + subject, null);
    }

    private Result clear(AlarmType type, String subject, Instant at) {
        var open = state.openAlarm(type, subject);
        if (open.isEmpty()) return Result.ok("no open " + type.wire() + " alarm for " + subject);
        Alarm a = open.get();
        state.alarms.put(a.id(), new Alarm(a.id(), a.type(), a.subject(), a.text(), a.raised(), at));
        HookQueue.alarm(state, HookEvent.ALARM_CLEARED, state.alarms.get(a.id()), at);
        return Result.ok("alarm " + a.id() + " cleared");
    }

    /** Settles a delivery; the hook's {@code hook-failing} alarm opens when it gives up and closes when it delivers again. */
    private Result recordHookAttempt(RecordHookAttempt r) {
        HookFiring f = state.hookEvents.get(r.event());
        if (f == null || f.delivery(r.hook()) == null) return Result.refused("no hook event " + r.event() + " for hook '" + r.hook() + "'");
        HookQueue.Settled settled = HookQueue.record(state, r);
        HookFiring.Delivery d = state.hookEvents.get(r.event()).delivery(r.hook());
        if (settled == HookQueue.Settled.DELIVERED) clear(AlarmType.HOOK_FAILING, r.hook(), r.at());
        if (settled == HookQueue.Settled.GAVE_UP) {
            raise(AlarmType.HOOK_FAILING, r.hook(), "hook " + r.hook() + " failed all " + d.attempts() + " attempts to take "
                    + f.event().wire() + " event " + f.id() + "; last: " + r.result(), r.at());
        }
        return Result.ok("hook " + r.hook() + " " + f.event().wire() + " event " + f.id() + ": " + d.status().wire()
                + " after " + d.attempts() + " attempt(s)");
    }

    private Result maintenance(SetMaintenance m) {
        if (state.index().group(m.group()).isEmpty()) return Result.refused("unknown group '" + m.group() + "'");
        if (m.on()) state.maintenance.add(m.group());
        else state.maintenance.remove(m.group());
        audit(m.at(), m.by(), "group " + m.group() + " maintenance " + (m.on() ? "on" : "off"));
        return Result.ok("group " + m.group() + " maintenance " + (m.on() ? "on" : "off") + " by " + m.by());
    }

    private Result drain(SetDrain d) {
        ServerRecord s = state.servers.get(d.server());
        if (s == null) return Result.refused("unknown server '" + d.server() + "'");
        if (s.drained() == d.on()) return Result.ok("server " + s.id() + " already " + (d.on() ? "drained" : "in service"));
        state.servers.put(s.id(), s.drained(d.on()));
        audit(d.at(), d.by(), (d.on() ? "drained " : "undrained ") + s.id());
        return Result.ok("server " + s.id() + (d.on() ? " drained" : " back in service") + " by " + d.by());
    }

    private Result lockProfile(LockProfile l) {
        ProfileRecord p = state.profiles.get(l.profile());
        if (p == null) return Result.refused("unknown profile '" + l.profile() + "'");
        if (l.server() == null) {
            if (p.lockedTo() == null) return Result.ok("profile " + p.id() + " is not locked");
            state.profiles.put(p.id(), p.lock(null));
            audit(l.at(), l.by(), "unlocked " + p.id());
            return Result.ok("profile " + p.id() + " unlocked by " + l.by());
        }
        if (p.activeJob() != null) return Result.refused("profile " + p.id() + " has job " + p.activeJob() + " running");
        if (!Objects.equals(p.server(), l.server())) {
            return Result.refused("profile " + p.id() + " runs on " + (p.server() == null ? "no server (down)" : p.server())
                    + ", not " + l.server() + "; a profile is locked to the server it runs on");
        }
        state.profiles.put(p.id(), p.lock(l.server()));
        audit(l.at(), l.by(), "locked " + p.id() + " to " + l.server());
        return Result.ok("profile " + p.id() + " locked to " + l.server() + " by " + l.by());
    }

    private void audit(Instant at, String by, String text) {
        state.changes.addLast(new Change(at, by, text));
        while (state.changes.size() > HISTORY) state.changes.removeFirst();
    }

    /** Drops the oldest finished jobs and cleared alarms past {@link #HISTORY}; deterministic on every replica. */
    private void prune() {
        if (state.jobs.size() > HISTORY) {
            java.util.Set<Long> named = new java.util.HashSet<>();
            state.alarms.values().stream().filter(Alarm::open).forEach(a -> {
                var m = JOB_NAMED.matcher(a.text());
                while (m.find()) named.add(Long.parseLong(m.group(1)));
            });
            List<Long> droppable = state.jobs.values().stream().filter(j -> !j.active() && !named.contains(j.id()))
                    .map(Job::id).limit(state.jobs.size() - HISTORY).toList();
            droppable.forEach(state.jobs::remove);
        }
        while (state.alarms.size() > HISTORY) {
            Long oldest = state.alarms.values().stream().filter(a -> !a.open()).map(Alarm::id).findFirst().orElse(null);
            if (oldest == null) break;
            state.alarms.remove(oldest);
        }
    }
}
