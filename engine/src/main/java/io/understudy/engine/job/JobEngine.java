package io.understudy.engine.job;

import io.understudy.drivers.Drivers;
import io.understudy.engine.Decisions;
import io.understudy.engine.EngineListener;
import io.understudy.engine.EngineSettings;
import io.understudy.engine.hook.HookCalls;
import io.understudy.engine.hook.HookRunner;
import io.understudy.model.config.HookEvent;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.time.Scheduler;
import io.understudy.state.AlarmType;
import io.understudy.state.Job;
import io.understudy.state.JobType;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.Step;
import io.understudy.state.command.FinishStep;
import io.understudy.state.command.RaiseAlarm;
import io.understudy.state.command.StartStep;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on the leader. A step's start is committed before it acts and its end after, so a new leader (or a
 * restarted node) resumes every job at the step it stood at and never repeats a finished one (invariant 4). Jobs
 * run side by side; better-priority jobs are looked at first.
 */
public final class JobEngine {
    private static final Logger log = LoggerFactory.getLogger(JobEngine.class);

    private static final Map<String, JobStep> STEPS = Stream.of(new CheckGroup(), new IdentifySource(), new Fence(),
            new SelectSpare(), new MoveIdentity(), new Activate(), new Verify(), new ReleaseSpare(), new SyncData(), new Release(),
            new VetoHook(HookEvent.PRE_FAILOVER, JobType.PRE_FAILOVER_HOOK, "nothing was fenced or moved"),
            new VetoHook(HookEvent.PRE_MOVE, JobType.PRE_MOVE_HOOK, "nothing was stopped or moved"),
            new CheckMove(), new StopSource(), new ReleaseSource(), new AwaitBootOrder(), new StartTwin(), new SyncTwin())
            .collect(Collectors.toMap(JobStep::name, Function.identity()));

    static {
        for (JobType t : JobType.values()) {
            for (String s : t.steps()) if (!STEPS.containsKey(s)) throw new IllegalStateException("no step " + s + " for " + t);
        }
    }

    private final StateStore store;
    private final Drivers drivers;
    private final Scheduler scheduler;
    private final EngineSettings settings;
    private final Executor executor;
    private final Decisions decisions;
    private final EngineListener listener;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<Long, Instant> nextRun = new ConcurrentHashMap<>();
    private final Map<Long, String> progress = new ConcurrentHashMap<>();
    private final PowerOrders.Memory orders = new PowerOrders.Memory();
    private final Set<String> startedHere = ConcurrentHashMap.newKeySet();
    private volatile Function<String, Duration> silence = server -> Duration.ZERO;
    private final HookCalls hooks;

    public JobEngine(StateStore store, Drivers drivers, Scheduler scheduler, EngineSettings settings, Executor executor,
                     Decisions decisions, EngineListener listener) {
        this(store, drivers, scheduler, settings, executor, decisions, listener, new HookCalls(new HookRunner(), executor));
    }

    /** @param hooks where the pre-failover hooks run (their own executor in service) */
    public JobEngine(StateStore store, Drivers drivers, Scheduler scheduler, EngineSettings settings, Executor executor,
                     Decisions decisions, EngineListener listener, HookCalls hooks) {
        this.hooks = hooks;
        this.store = store;
        this.drivers = drivers;
        this.scheduler = scheduler;
        this.settings = settings;
        this.executor = executor;
        this.decisions = decisions;
        this.listener = listener;
    }

    /** How long no control-plane node has heard a server (the detector's view), for the fence without a BMC. */
    public void silence(Function<String, Duration> s) {
        silence = s;
    }

    /** Forget what this node knew of running steps: after a leader change every running step is looked at afresh. */
    public void reset() {
        nextRun.clear();
        progress.clear();
        startedHere.clear();
        orders.clear();
        hooks.reset();
    }

    /** The latest word from a job's running step ("waiting for BMC to read off"), not replicated. */
    public String progress(long job) {
        return progress.get(job);
    }

    public void tick() {
        Instant now = scheduler.now();
        List<Job> jobs = store.read(s -> s.activeJobs().stream()
                .sorted(Comparator.comparingInt((Job j) -> s.index().profile(j.profile()).map(ProfileSpec::priority).orElse(0))
                        .thenComparingLong(Job::id))
                .toList());
        for (Job job : jobs) {
            Instant due = nextRun.get(job.id());
            if (due != null && now.isBefore(due)) continue;
            if (!inFlight.add(job.id())) continue;
            executor.execute(() -> {
                try {
                    advance(job.id());
                } catch (RuntimeException e) {
                    log.warn("job {} could not advance: {}", job.id(), e.toString());
                    nextRun.put(job.id(), scheduler.now().plus(settings.poll()));
                } finally {
                    inFlight.remove(job.id());
                }
            });
        }
    }

    /** Runs the job's current step, and the following ones while they finish at once. */
    private void advance(long id) {
        boolean startedByFinish = false;
        for (int guard = 0; guard < 20; guard++) {
            Job job = store.read(s -> s.job(id));
            if (job == null || !job.active()) return;
            int i = job.currentStep();
            Step step = job.steps().get(i);
            String key = id + "/" + i;
            boolean first = startedHere.add(key);
            if (first && !startedByFinish) {
                Result r = store.submit(new StartStep(id, i, scheduler.now()));
                if (!r.ok()) {
                    startedHere.remove(key);
                    log.warn("job {} step {} not started: {}", id, step.name(), r.message());
                    return;
                }
                job = store.read(s -> s.job(id));
            }
            StepContext ctx = new StepContext(store, drivers, settings, scheduler.now(), store.term(), job, i, first, silence, orders, hooks);
            Outcome o = STEPS.get(step.name()).run(ctx);
            switch (o.kind()) {
                case WAIT -> {
                    nextRun.put(id, o.retryAt());
                    progress.put(id, o.message());
                    return;
                }
                case DONE -> {
                    // The next step starts in the same commit: one replication round between steps, not two.
                    startedByFinish = store.submit(new FinishStep(job.id(), i, Step.Status.DONE, o.message(), scheduler.now(), true)).ok();
                    nextRun.remove(job.id());
                    progress.remove(job.id());
                    decisions.record("job " + id, step.name() + ": " + o.message());
                    reportIfEnded(job.id());
                    if (!startedByFinish) return;
                }
                case FAILED -> {
                    // Past move-profile the state says the profile runs on the target: the target gives it up first,
                    // then the failure (applied by the state machine) says the profile is down, or still on the target
                    // if the target could not be confirmed clear of it.
                    Rollback.Clearance cleared = Rollback.moved(ctx) ? Rollback.clearTarget(ctx) : null;
                    String message = cleared == null ? o.message() : o.message() + "; " + cleared.message();
                    // A planned move that failed before the identity moved: the source takes its workload up again.
                    if (cleared == null && Rollback.sourceTouched(ctx)) message = message + "; " + Rollback.restartSource(ctx);
                    // Alarm first: whoever sees the job failed must already find its alarm, and a leader that
                    // dies in between re-runs the in-flight step rather than leaving a failed job unannounced.
                    if (o.alarm() != null) {
                        String subject = o.alarm() == AlarmType.FENCE_FAILED ? job.source() : job.profile();
                        store.submit(new RaiseAlarm(o.alarm(), subject, job.type().wire() + " job " + id + " failed at "
                                + step.name() + ": " + message, scheduler.now()));
                    }
                    fail(job, i, message, cleared != null && !cleared.confirmed());
                    decisions.record("job " + id, step.name() + (o.alarm() == null ? " ended the job: " : " failed: ") + message);
                    return;
                }
            }
        }
    }

    private void fail(Job job, int i, String failure, boolean targetMayHold) {
        store.submit(new FinishStep(job.id(), i, Step.Status.FAILED, failure, scheduler.now(), false, targetMayHold));
        nextRun.remove(job.id());
        progress.remove(job.id());
        reportIfEnded(job.id());
    }

    /** Every job that ends is counted once, by the leader that ended it: succeeded as well as failed. */
    private void reportIfEnded(long id) {
        Job after = store.read(s -> s.job(id));
        if (after != null && !after.active()) {
            listener.jobEnded(after.type().wire(), after.status().wire(), Duration.between(after.created(), after.ended()));
        }
    }
}
