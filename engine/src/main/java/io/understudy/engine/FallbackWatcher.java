package io.understudy.engine;

import io.understudy.model.ServerState;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.policy.FallbackPolicy;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.JobType;
import io.understudy.state.ProfileRecord;
import io.understudy.state.Result;
import io.understudy.state.ServerRecord;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.CreateJob;
import io.understudy.state.command.RaiseAlarm;
import java.util.List;
import java.util.Objects;

/**
 * Automatic fallback: starts a fallback job when the policy says so, and holds a flapping profile with an alarm.
 *
 * <p>A profile that runs nowhere (a failed job left it down, confirmed clear of every server) is started at its home
 * as soon as that runs, free, whatever its fallback mode: the mode weighs a second outage against running on a spare,
 * and a down profile has no service to lose. Budgeted like every automatic job (back-off, {@code retryLimit} cap with
 * {@code automatic-jobs-held}); not held by the flapping rule, which guards a running profile.
 */
public final class FallbackWatcher {
    public static final String BY = io.understudy.state.JobBudget.FALLBACK_POLICY;

    private final StateStore store;
    private final Scheduler scheduler;
    private final Decisions decisions;
    private final AutomaticJobs automatic;

    FallbackWatcher(StateStore store, Scheduler scheduler, Decisions decisions, AutomaticJobs automatic) {
        this.store = store;
        this.scheduler = scheduler;
        this.decisions = decisions;
        this.automatic = automatic;
    }

    public void tick() {
        automatic.tick();
        List<ProfileRecord> profiles = store.read(s -> List.copyOf(s.profiles()));
        for (ProfileRecord p : profiles) {
            ProfileSpec spec = store.read(s -> s.index().profile(p.id()).orElse(null));
            // An operator's planned move put it where it is: it stays until an operator moves it again.
            if (spec == null || p.activeJob() != null || p.planned()) continue;
            if (p.server() == null) {
                recover(p, spec);
                continue;
            }
            boolean away = !Objects.equals(p.server(), spec.home());
            if (!away) {
                if (store.read(s -> s.openAlarm(AlarmType.FLAPPING, p.id()).isPresent())) {
                    store.submit(new ClearAlarm(AlarmType.FLAPPING, p.id(), scheduler.now()));
                }
                continue;
            }
            GroupPolicy policy = store.read(s -> s.index().group(spec.group()).map(g -> g.policy()).orElse(null));
            ServerRecord home = store.read(s -> s.server(spec.home()));
            // A drained home takes nothing back until it is undrained (which moves its profiles home itself).
            if (policy == null || home == null || home.drained()) continue;
            var d = FallbackPolicy.decideAutomatic(spec.fallback(), policy, true, p.lockedTo() != null, home.state(),
                    home.state() == ServerState.RUNNING ? home.since() : null, p.fallbacks(), scheduler.now());
            switch (d.verdict()) {
                case FALL_BACK -> {
                    // Maintenance, back-off after a failed fallback, the cap: said once, then silence.
                    if (!automatic.mayStart(p.id(), JobType.FALLBACK)) continue;
                    Result r = store.submit(new CreateJob(JobType.FALLBACK, p.id(), p.server(), BY, d.reason(), scheduler.now()));
                    decisions.record(p.id(), r.ok() ? "fallback job " + r.job() + " started: " + d.reason() : "no fallback: " + r.message());
                }
                case HOLD_FLAPPING -> {
                    boolean open = store.read(s -> s.openAlarm(AlarmType.FLAPPING, p.id()).isPresent());
                    if (!open) {
                        store.submit(new RaiseAlarm(AlarmType.FLAPPING, p.id(), "profile " + p.id() + " not fallen back: " + d.reason(), scheduler.now()));
                        decisions.record(p.id(), "held on " + p.server() + ": " + d.reason());
                    }
                }
                case WAIT, NOT_ELIGIBLE -> { }
            }
        }
    }

    /** Starts a down profile at its home when the home runs, holds nothing and is not drained or reserved. */
    private void recover(ProfileRecord p, ProfileSpec spec) {
        if (p.lockedTo() != null) return;
        String why = store.read(s -> {
            ServerRecord home = s.server(spec.home());
            if (home == null || home.state() != ServerState.RUNNING) return null;
            if (home.drained() || home.reservedBy() != null || s.profileOn(home.id()).isPresent()) return null;
            return "profile " + p.id() + " runs nowhere and its home " + home.id() + " runs, free";
        });
        if (why == null || !automatic.mayStart(p.id(), JobType.FALLBACK)) return;
        Result r = store.submit(new CreateJob(JobType.FALLBACK, p.id(), null, io.understudy.state.JobBudget.RECOVERY, why, scheduler.now()));
        decisions.record(p.id(), r.ok() ? "fallback job " + r.job() + " started: " + why : "not started at home: " + r.message());
    }
}
