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

/** Automatic fallback: starts a fallback job when the policy says so, and holds a flapping profile with an alarm. */
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
}
