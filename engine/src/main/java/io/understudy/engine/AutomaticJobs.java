package io.understudy.engine;

import io.understudy.model.time.Scheduler;
import io.understudy.state.Alarm;
import io.understudy.state.AlarmType;
import io.understudy.state.JobBudget;
import io.understudy.state.JobType;
import io.understudy.state.StateStore;
import io.understudy.state.command.ClearAlarm;
import io.understudy.state.command.RaiseAlarm;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's side of {@link JobBudget}: asked before event handling or the fallback policy creates a job, it says
 * (once per change, not every round) why a job waits, raises {@code automatic-jobs-held} at the cap and clears it
 * when the profile may have automatic jobs again. The state machine refuses what this lets through by mistake.
 */
final class AutomaticJobs {
    private final StateStore store;
    private final Scheduler scheduler;
    private final Decisions decisions;
    /** What was last said per profile and kind, so a waiting job is explained once, not every 50 ms. */
    private final Map<String, String> said = new ConcurrentHashMap<>();

    AutomaticJobs(StateStore store, Scheduler scheduler, Decisions decisions) {
        this.store = store;
        this.scheduler = scheduler;
        this.decisions = decisions;
    }

    /** True when an automatic job of this kind may be created for the profile now. */
    boolean mayStart(String profile, JobType type) {
        JobBudget.Verdict v = store.read(s -> JobBudget.check(s, profile, type, scheduler.now()));
        String key = profile + "/" + type.wire();
        if (v.allowed()) {
            said.remove(key);
            return true;
        }
        if (!v.reason().equals(said.put(key, v.reason()))) decisions.record(profile, v.reason());
        if (v.kind() == JobBudget.Kind.CAPPED) {
            boolean same = store.read(s -> s.openAlarm(AlarmType.AUTOMATIC_JOBS_HELD, profile).map(a -> a.text().equals(v.reason())).orElse(false));
            if (!same) store.submit(new RaiseAlarm(AlarmType.AUTOMATIC_JOBS_HELD, profile, v.reason(), scheduler.now()));
        }
        return false;
    }

    /** Clears the held alarm of every profile whose automatic jobs are no longer capped (operator job, success, time). */
    void tick() {
        List<Alarm> held = store.read(s -> s.openAlarms().stream().filter(a -> a.type() == AlarmType.AUTOMATIC_JOBS_HELD).toList());
        for (Alarm a : held) {
            boolean capped = store.read(s -> List.of(JobType.values()).stream()
                    .anyMatch(t -> JobBudget.retries(s, a.subject(), t, scheduler.now()).kind() == JobBudget.Kind.CAPPED));
            if (!capped) {
                store.submit(new ClearAlarm(AlarmType.AUTOMATIC_JOBS_HELD, a.subject(), scheduler.now()));
                decisions.record(a.subject(), "automatic jobs of " + a.subject() + " allowed again");
            }
        }
    }
}
