package io.understudy.engine.job;

import io.understudy.drivers.CallContext;
import io.understudy.drivers.Drivers;
import io.understudy.engine.EngineSettings;
import io.understudy.engine.hook.HookCalls;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.ProtectionLevel;
import io.understudy.model.config.ServerSpec;
import io.understudy.state.ClusterState;
import io.understudy.state.Job;
import io.understudy.state.Result;
import io.understudy.state.StateStore;
import io.understudy.state.command.Command;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** Everything a step may use: the job as committed, the state, the drivers, the time and the fencing token. */
public final class StepContext {
    private final StateStore store;
    private final Drivers drivers;
    private final EngineSettings settings;
    private final Instant now;
    private final long term;
    final Job job;
    final int stepIndex;
    /** Whether this run of the step is its first on this leader (the step may have run before a leader change). */
    final boolean firstRun;
    private final Function<String, Duration> silence;
    /** The power orders this leader's job engine gave, for pacing them between polls. */
    final PowerOrders.Memory orders;
    private final HookCalls hooks;

    StepContext(StateStore store, Drivers drivers, EngineSettings settings, Instant now, long term, Job job,
                int stepIndex, boolean firstRun, Function<String, Duration> silence, PowerOrders.Memory orders, HookCalls hooks) {
        this.hooks = hooks;
        this.silence = silence;
        this.orders = orders;
        this.store = store;
        this.drivers = drivers;
        this.settings = settings;
        this.now = now;
        this.term = term;
        this.job = job;
        this.stepIndex = stepIndex;
        this.firstRun = firstRun;
    }

    public Job job() {
        return job;
    }

    public Instant now() {
        return now;
    }

    public Drivers drivers() {
        return drivers;
    }

    /** Where hooks run: off this step's thread, each with its timeout. */
    HookCalls hooks() {
        return hooks;
    }

    /** The leader term this step runs in (the fencing token of its orders). */
    long term() {
        return term;
    }

    public CallContext call() {
        return new CallContext(term, job.id(), job.steps().get(stepIndex).name());
    }

    public <T> T read(Function<ClusterState, T> reader) {
        return store.read(reader);
    }

    public Result submit(Command c) {
        return store.submit(c);
    }

    public ProfileSpec profile() {
        return read(s -> s.index().profile(job.profile()).orElseThrow());
    }

    public ServerSpec server(String id) {
        return read(s -> s.index().server(id).orElseThrow());
    }

    public GroupPolicy policy() {
        return read(s -> s.index().group(job.group()).map(g -> g.policy()).orElseThrow());
    }

    public ProtectionLevel level() {
        return read(s -> s.config().protectionOf(profile()));
    }

    /** When this step's start was committed: deadlines count from there, across leader changes. */
    public Instant stepStarted() {
        Instant t = job.steps().get(stepIndex).started();
        return t == null ? now : t;
    }

    public boolean pastDeadline(Duration timeout) {
        return now.isAfter(stepStarted().plus(timeout));
    }

    public Instant nextPoll() {
        return now.plus(settings.poll());
    }

    /** How long no control-plane node has heard the server. */
    public Duration silence(String server) {
        return silence.apply(server);
    }

    public Duration elapsed() {
        return Duration.between(stepStarted(), now);
    }
}
