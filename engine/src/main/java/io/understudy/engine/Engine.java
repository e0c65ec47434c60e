package io.understudy.engine;

import io.understudy.drivers.Drivers;
import io.understudy.engine.detect.Detector;
import io.understudy.engine.hook.HookCalls;
import io.understudy.engine.hook.HookDispatcher;
import io.understudy.engine.hook.HookRunner;
import io.understudy.engine.job.JobEngine;
import io.understudy.model.time.Scheduler;
import io.understudy.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's duties — detection, reported resources, automatic event handling, jobs, fallback, capacity, the
 * split-brain rule, profiles held where recorded — started when this node becomes leader and stopped when it is not.
 * Followers only record heartbeats.
 */
public final class Engine implements StateStore.LeadershipListener {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final Duration CAPACITY_EVERY = Duration.ofSeconds(1);

    private final StateStore store;
    private final Scheduler scheduler;
    private final EngineSettings settings;
    private final Decisions decisions;
    private final Detector detector;
    private final JobEngine jobs;
    private final EventHandler events;
    private final FallbackWatcher fallback;
    private final CapacityWatcher capacity;
    private final MemberWatcher members;
    private final SpareWatcher spares;
    private final Operations operations;
    private final DataSync data;
    private final SplitBrainWatcher splitBrain;
    private final ProfileWatcher profiles;
    private final BootOrderWatcher bootOrder;
    private final ResourceWatcher resources;
    private final PairWatcher pairs;
    private final HookDispatcher hooks;
    private final HookCalls hookCalls;
    private Scheduler.Cancellable loop;
    private Instant lastCapacity;
    private volatile boolean leading;

    /** Runs the detector's BMC probes on the step executor (at most two at once there). */
    public Engine(StateStore store, Drivers drivers, Scheduler scheduler, EngineSettings settings, Executor stepExecutor,
                  EngineListener listener) {
        this(store, drivers, scheduler, settings, stepExecutor, stepExecutor, listener);
    }

    /** @param probeExecutor where the detector's BMC probes run, off the tick (a small pool of their own in service) */
    public Engine(StateStore store, Drivers drivers, Scheduler scheduler, EngineSettings settings, Executor stepExecutor,
                  Executor probeExecutor, EngineListener listener) {
        this(store, drivers, scheduler, settings, stepExecutor, probeExecutor, new HookCalls(new HookRunner(), stepExecutor), listener);
    }

    /** @param hooks where hooks run: their commands and POSTs on an executor of their own in service */
    public Engine(StateStore store, Drivers drivers, Scheduler scheduler, EngineSettings settings, Executor stepExecutor,
                  Executor probeExecutor, HookCalls hooks, EngineListener listener) {
        this.store = store;
        this.scheduler = scheduler;
        this.settings = settings;
        this.decisions = new Decisions(scheduler, listener);
        this.detector = new Detector(store, drivers, scheduler, settings, decisions, listener, probeExecutor);
        this.jobs = new JobEngine(store, drivers, scheduler, settings, stepExecutor, decisions, listener, hooks);
        this.hooks = new HookDispatcher(store, scheduler, hooks);
        this.hookCalls = hooks;
        jobs.silence(detector::silence);
        AutomaticJobs automatic = new AutomaticJobs(store, scheduler, decisions);
        this.events = new EventHandler(store, scheduler, decisions, automatic);
        this.fallback = new FallbackWatcher(store, scheduler, decisions, automatic);
        this.capacity = new CapacityWatcher(store, scheduler);
        this.members = new MemberWatcher(store, scheduler);
        this.spares = new SpareWatcher(store, drivers, scheduler, stepExecutor, decisions);
        this.operations = new Operations(store, scheduler);
        this.data = new DataSync(store, drivers, scheduler, stepExecutor, decisions);
        this.splitBrain = new SplitBrainWatcher(store, drivers, detector, scheduler, stepExecutor, decisions);
        this.profiles = new ProfileWatcher(store, drivers, detector, scheduler, stepExecutor, decisions);
        this.bootOrder = new BootOrderWatcher(store, drivers, scheduler, stepExecutor, decisions);
        this.resources = new ResourceWatcher(store, detector::reported, scheduler, decisions);
        this.pairs = new PairWatcher(store, drivers, scheduler, stepExecutor, decisions, automatic);
        store.addLeadershipListener(this);
    }

    @Override
    public synchronized void leaderReady(long term) {
        if (loop != null) loop.cancel();
        leading = true;
        jobs.reset();
        data.reset();
        detector.leaderReady();
        decisions.record("control plane", "leader in term " + term + ": resuming jobs, detection starts after one failure timeout");
        loop = scheduler.every(settings.tick(), this::tick);
    }

    @Override
    public synchronized void leadershipLost() {
        leading = false;
        if (loop != null) loop.cancel();
        loop = null;
        jobs.reset();
        decisions.record("control plane", "no longer leader: detection and jobs stopped here");
    }

    /** One round of the leader's duties; a failure in one part is logged and does not stop the others. */
    public void tick() {
        if (!leading || !store.isLeader()) return;
        guarded("detector", detector::tick);
        // Before events and jobs: a spare is judged by what it reports in the same round that may select it.
        guarded("resources", resources::tick);
        guarded("event handling", events::tick);
        guarded("jobs", jobs::tick);
        guarded("fallback", fallback::tick);
        Instant now = scheduler.now();
        if (lastCapacity == null || !now.isBefore(lastCapacity.plus(CAPACITY_EVERY))) {
            lastCapacity = now;
            guarded("capacity", capacity::tick);
        }
        guarded("spares", spares::tick);
        guarded("data sync", data::tick);
        guarded("split brain", splitBrain::tick);
        guarded("profiles", profiles::tick);
        guarded("boot order", bootOrder::tick);
        guarded("lockstep pairs", pairs::tick);
        guarded("hooks", hooks::tick);
        guarded("control-plane members", members::tick);
    }

    private void guarded(String part, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("{} round failed: {}", part, e.toString());
        }
    }

    public boolean leading() {
        return leading;
    }

    public Detector detector() {
        return detector;
    }

    public JobEngine jobs() {
        return jobs;
    }

    public Decisions decisions() {
        return decisions;
    }

    public Operations operations() {
        return operations;
    }

    public DataSync data() {
        return data;
    }

    /** Lockstep pairs as this node last saw them (the leader's watch; empty on other nodes): profile → view. */
    public Map<String, Map<String, Object>> pairs() {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        // A node that led once keeps its last views: not shown once another node watches the pairs.
        if (!leading) return out;
        for (PairWatcher.PairView v : pairs.views()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("primary", v.primary());
            m.put("twin", v.twin());
            m.put("state", v.stateWire());
            m.put("seq", v.seq());
            m.put("twinSeq", v.twinSeq());
            m.put("lag", v.lag());
            m.put("why", v.why());
            m.put("checked", v.checked().toString());
            out.put(v.profile(), m);
        }
        return out;
    }

    /** Where hooks run; {@code understudy hooks test} runs them here too. */
    public HookCalls hookCalls() {
        return hookCalls;
    }
}
